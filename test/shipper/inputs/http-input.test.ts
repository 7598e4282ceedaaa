import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseBody } from '../../../src/shipper/inputs/http-input.ts';
import { tempDir } from '../../helpers/cli.ts';
import { FakeProducer } from '../fake-producer.ts';
import { capturingLogger, eventually, runShipper } from '../helpers.ts';

async function start(t: Parameters<typeof tempDir>[0], input: Record<string, unknown> = {}, kafka: Record<string, unknown> = {}) {
  const dir = await tempDir(t);
  const producer = new FakeProducer();
  const shipper = await runShipper(t, {
    bootstrap: 'unused:9092',
    dir: path.join(dir, 'data'),
    cwd: dir,
    createProducer: () => producer,
    logger: capturingLogger().logger,
    raw: { host_name: 'h', inputs: [{ type: 'http', port: 0, path: '/ingest', tags: ['http'], ...input }], kafka: { linger_ms: 1, backoff_initial_ms: 5, backoff_max_ms: 20, ...kafka } },
  });
  const url = `http://127.0.0.1:${shipper.endpoints[0]!.port}/ingest`;
  return { producer, shipper, url };
}

test('NDJSON, a JSON array and one object are accepted; 200 comes only after Kafka acknowledged', async (t) => {
  const { producer, url } = await start(t);
  let open!: () => void;
  producer.gate = new Promise((r) => {
    open = r;
  });
  let answered = false;
  const request = fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"a":1}\n{"a":2,"@timestamp":"2024-01-01T00:00:00.000Z"}\n' }).then(async (r) => {
    answered = true;
    return { status: r.status, body: (await r.json()) as unknown };
  });
  await eventually(async () => (producer.sends > 0 ? true : undefined), 5000);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(answered, false, 'no answer before the ack');
  producer.gate = undefined;
  open();
  assert.deepEqual(await request, { status: 200, body: { accepted: 2 } });
  assert.deepEqual(producer.sent[1]!.value, { a: 2, '@timestamp': '2024-01-01T00:00:00.000Z', host: { name: 'h' }, tags: ['http'] });
  const array = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"b":1},{"b":2},{"b":3}]' });
  assert.equal(array.status, 200);
  const one = await fetch(url, { method: 'POST', body: '{\n  "c": 1\n}' });
  assert.deepEqual(await one.json(), { accepted: 1 });
  assert.equal(producer.sent.length, 6);
});

test('400 for bodies that are not JSON objects, with the line; 401 without the bearer token', async (t) => {
  const { url, producer } = await start(t, { bearer_token: 's3cret' });
  const auth = { authorization: 'Bearer s3cret' };
  assert.equal((await fetch(url, { method: 'POST', body: '{"a":1}' })).status, 401);
  assert.equal((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{"a":1}' })).status, 401);
  const bad = await fetch(url, { method: 'POST', headers: auth, body: '{"a":1}\n{oops\n' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /line 2/);
  assert.equal((await fetch(url, { method: 'POST', headers: auth, body: '[1,2]' })).status, 400);
  assert.equal((await fetch(url, { method: 'POST', headers: auth, body: '{"a":1}' })).status, 200);
  assert.equal(producer.sent.length, 1);
});

test('429 when the queue is full, 503 while Kafka does not answer', async (t) => {
  const { url, producer } = await start(t, {}, { queue_max_events: 2 });
  let open!: () => void;
  producer.gate = new Promise((r) => {
    open = r;
  });
  const held = fetch(url, { method: 'POST', body: '{"a":1}\n{"a":2}' });
  await eventually(async () => (producer.sends > 0 ? true : undefined), 5000);
  const full = await fetch(url, { method: 'POST', body: '{"a":3}' });
  assert.equal(full.status, 429);
  assert.equal(full.headers.get('retry-after'), '1');
  producer.down = true;
  producer.gate = undefined;
  open();
  await eventually(async () => {
    const r = await fetch(url, { method: 'POST', body: '{"a":4}' });
    return r.status === 503 ? true : undefined;
  }, 5000, '503');
  producer.down = false;
  assert.equal((await held).status, 200);
});

test('parseBody', () => {
  assert.deepEqual(parseBody(''), { ok: true, objects: [] });
  assert.deepEqual(parseBody('{"a":1}\n\n{"b":2}\n'), { ok: true, objects: [{ a: 1 }, { b: 2 }] });
  assert.equal(parseBody('[{"a":1},2]').ok, false);
  assert.equal(parseBody('nope').ok, false);
});
