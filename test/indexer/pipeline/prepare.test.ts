import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pipelineSchema } from '../../../src/indexer/config.ts';
import { createBatchPreparer, fromWire, toWire } from '../../../src/indexer/pipeline/prepare.ts';
import { startPrepareWorkers } from '../../../src/indexer/pipeline/prepare-worker.ts';

const config = pipelineSchema.parse({
  name: 'p',
  topics: ['t'],
  codec: 'ndjson',
  // biome-ignore lint/suspicious/noThenProperty: the pipeline config's if/then syntax
  filters: [{ if: '[drop] == true', then: [{ drop: {} }] }],
  outputs: [{ elasticsearch: { index: 'i-%{[service]}' } }, { kafka: { topic: 'errors', if: '[level] == "ERROR"' } }],
});

const messages = [
  { topic: 't', partition: 2, offset: 10n, key: Buffer.from('k'), value: Buffer.from('{"service":"a","level":"ERROR"}\n{"service":"b","drop":true}\n'), timestamp: 1_700_000_000_000n, headers: new Map([['h', Buffer.from('v')]]) },
  { topic: 't', partition: 2, offset: 11n, key: null, value: Buffer.from('not json'), timestamp: 1_700_000_000_001n, headers: new Map<string, Buffer>() },
  { topic: 't', partition: 2, offset: 12n, key: null, value: Buffer.from('{"level":"INFO"}'), timestamp: 1_700_000_000_002n, headers: new Map<string, Buffer>() },
];

test('a batch: events, drops, decode letters by message index, per-output items with deterministic ids', () => {
  const data = createBatchPreparer(config)(messages);
  assert.equal(data.decoded, 3);
  assert.equal(data.filteredOut, 1);
  assert.deepEqual(data.letters.map((l) => [l.index, l.stage]), [[1, 'decode']]);
  assert.deepEqual(data.owners, [0, 2]);
  const [es, kafka] = data.prepared;
  assert.match((es![0] as { body: string }).body, /^\{"index":\{"_index":"i-a","_id":"t-2-10"\}\}\n/);
  assert.match(es![1] as string, /has a field the event lacks/);
  assert.equal((kafka![0] as { topic: string; key: string }).key, 'k');
  assert.equal(kafka![1], null);
});

test('the wire form (one transferable buffer) decodes to the same result, in a worker thread too', async () => {
  const local = createBatchPreparer(config)(messages);
  const wired = createBatchPreparer(config)(fromWire(toWire(messages)));
  // @timestamp is "now" for these events: compare without it.
  const strip = (d: typeof local) => JSON.stringify(d).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'now');
  assert.equal(strip(wired), strip(local));
  const workers = startPrepareWorkers(config, 2);
  try {
    const [a, b] = await Promise.all([workers.prepare(toWire(messages)), workers.prepare(toWire(messages))]);
    assert.equal(strip(a), strip(local));
    assert.equal(strip(b), strip(local));
  } finally {
    await workers.close();
  }
});
