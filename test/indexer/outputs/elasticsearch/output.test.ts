import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../../../src/indexer/event.ts';
import { elasticsearchOutputSchema } from '../../../../src/indexer/outputs/elasticsearch/config.ts';
import { createElasticsearchOutput } from '../../../../src/indexer/outputs/elasticsearch/output.ts';
import type { BulkOutcome } from '../../../../src/indexer/outputs/elasticsearch/retry.ts';
import { OutputStoppedError } from '../../../../src/indexer/outputs/output.ts';

/** A scripted _bulk endpoint: each call gets the next answer function. */
function fakeService(answers: ((ids: string[]) => BulkOutcome)[]) {
  const calls: string[][] = [];
  return {
    calls,
    service: {
      async send(body: Buffer) {
        const ids = body.toString('utf8').trimEnd().split('\n').filter((_, i) => i % 2 === 0).map((l) => Object.values(JSON.parse(l) as Record<string, { _id: string }>)[0]!._id);
        calls.push(ids);
        const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
        return answer(ids);
      },
      async putIndexTemplate(name: string): Promise<BulkOutcome> {
        calls.push([`template:${name}`]);
        return { kind: 'items', items: [] };
      },
      async close() {},
    },
  };
}

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ event: Event.fromObject({ n: i }), source: { topic: 't', partition: 0, offset: i, sequence: 0 } }));
const cluster = { hosts: ['http://127.0.0.1:1'] };
const ok = (ids: string[]): BulkOutcome => ({ kind: 'items', items: ids.map(() => ({ status: 201 })) });

test('splits by count and retries only the failed items; a mapping conflict is a dead letter', async () => {
  const fake = fakeService([(ids) => ({ kind: 'items', items: ids.map((id) => (id === 't-0-1' ? { status: 429 } : id === 't-0-2' ? { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } } : { status: 201 })) }), ok]);
  const output = createElasticsearchOutput({
    pipeline: 'p',
    config: elasticsearchOutputSchema.parse({ index: 'x', batch_max_events: 3, max_in_flight: 1, retry_initial_backoff_ms: 1 }),
    cluster,
    service: fake.service,
  });
  const results = await output.write(events(5));
  assert.deepEqual(fake.calls, [['t-0-0', 't-0-1', 't-0-2'], ['t-0-1'], ['t-0-3', 't-0-4']]);
  assert.deepEqual(results.map((r) => r.ok), [true, true, false, true, true]);
  assert.deepEqual(results[2], { ok: false, reason: 'mapper_parsing_exception: bad', status: 400 });
});

test('an unavailable cluster is retried until it answers, reported once down and once recovered', async () => {
  const fake = fakeService([() => ({ kind: 'network', message: 'ECONNREFUSED' }), () => ({ kind: 'http', status: 503 }), ok]);
  const log: string[] = [];
  const output = createElasticsearchOutput({
    pipeline: 'p',
    config: elasticsearchOutputSchema.parse({ index: 'x', retry_initial_backoff_ms: 1 }),
    cluster,
    service: fake.service,
    onUnavailable: (reason) => log.push(`down ${reason}`),
    onRecovered: () => log.push('up'),
  });
  const results = await output.write(events(2));
  assert.equal(fake.calls.length, 3);
  assert.deepEqual(results, [{ ok: true }, { ok: true }]);
  assert.deepEqual(log, ['down network: ECONNREFUSED', 'up']);
});

test('a 413 splits the request in halves', async () => {
  const fake = fakeService([(ids) => (ids.length > 1 ? { kind: 'http', status: 413 } : ok(ids))]);
  const output = createElasticsearchOutput({ pipeline: 'p', config: elasticsearchOutputSchema.parse({ index: 'x' }), cluster, service: fake.service });
  const results = await output.write(events(3));
  assert.deepEqual(results.map((r) => r.ok), [true, true, true]);
  assert.deepEqual(fake.calls.filter((c) => c.length === 1).flat().sort(), ['t-0-0', 't-0-1', 't-0-2']);
});

test('stop aborts a write that is retrying', async () => {
  const fake = fakeService([() => ({ kind: 'network', message: 'down' })]);
  const output = createElasticsearchOutput({ pipeline: 'p', config: elasticsearchOutputSchema.parse({ index: 'x', retry_initial_backoff_ms: 10 }), cluster, service: fake.service });
  const writing = output.write(events(1));
  setTimeout(() => void output.stop(), 30);
  await assert.rejects(writing, OutputStoppedError);
});

test('an event the builder refuses is a dead letter without a request', async () => {
  const fake = fakeService([ok]);
  const output = createElasticsearchOutput({ pipeline: 'p', config: elasticsearchOutputSchema.parse({ index: '%{[missing]}' }), cluster, service: fake.service });
  const results = await output.write(events(1));
  assert.equal(fake.calls.length, 0);
  assert.equal(results[0]!.ok, false);
});

test('the index template is put once, before the first bulk request', async () => {
  const fake = fakeService([ok]);
  const output = createElasticsearchOutput({ pipeline: 'p', config: elasticsearchOutputSchema.parse({ index: 'x', index_template: { name: 'logs', body: { index_patterns: ['x*'] } } }), cluster, service: fake.service });
  await output.write(events(1));
  await output.write(events(1));
  assert.deepEqual(fake.calls, [['template:logs'], ['t-0-0'], ['t-0-0']]);
});

test('with requests in flight, answers to requests sent before the last change of state do not flap it', async () => {
  // t-0-0 was sent while up and succeeds late; t-0-1 fails at once, its first retry fails
  // after that late success, its second retry succeeds: one outage, one recovery.
  const script = [
    { delay: 30, outcome: 'ok' },
    { delay: 0, outcome: 'down' },
    { delay: 60, outcome: 'down' },
    { delay: 0, outcome: 'ok' },
  ] as const;
  let call = 0;
  const service = {
    async send(): Promise<BulkOutcome> {
      const step = script[Math.min(call++, script.length - 1)]!;
      await new Promise((r) => setTimeout(r, step.delay));
      return step.outcome === 'ok' ? { kind: 'items', items: [{ status: 201 }] } : { kind: 'network', message: 'ECONNREFUSED' };
    },
    async putIndexTemplate(): Promise<BulkOutcome> {
      return { kind: 'items', items: [] };
    },
    async close() {},
  };
  const log: string[] = [];
  const output = createElasticsearchOutput({
    pipeline: 'p',
    config: elasticsearchOutputSchema.parse({ index: 'x', batch_max_events: 1, max_in_flight: 2, retry_initial_backoff_ms: 1, retry_max_backoff_ms: 1 }),
    cluster,
    service,
    onUnavailable: () => log.push('down'),
    onRecovered: () => log.push('up'),
  });
  const results = await output.write(events(2));
  assert.deepEqual(results.map((r) => r.ok), [true, true]);
  assert.equal(call, 4);
  assert.deepEqual(log, ['down', 'up']);
});
