import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pipelineSchema } from '../../../src/indexer/config.ts';
import { isPackedBulk, type PackedBulk, packedText } from '../../../src/indexer/outputs/elasticsearch/packed-bulk.ts';
import type { PreparedItem } from '../../../src/indexer/outputs/output.ts';
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
  const [es, kafka] = data.prepared as [PackedBulk, PreparedItem[]];
  assert.equal(es.count, 2);
  assert.match(packedText(es, 0), /^\{"index":\{"_index":"i-a","_id":"t-2-10"\}\}\n\{.*\}\n$/);
  assert.deepEqual(es.refused.map(([i]) => i), [1]);
  assert.match(es.refused[0]![1]!, /has a field the event lacks/);
  assert.equal(packedText(es, 1), '');
  assert.equal((kafka[0] as { topic: string; key: string }).key, 'k');
  assert.equal(kafka[1], null);
});

test('the wire form (one transferable buffer) decodes to the same result, in a worker thread too', async () => {
  const local = createBatchPreparer(config)(messages);
  const wired = createBatchPreparer(config)(fromWire(toWire(messages)));
  // @timestamp is "now" for these events: compare without it.
  // Bulk lines as text (a Buffer here, a Uint8Array after crossing threads).
  const texts = (d: typeof local) => ({ ...d, prepared: d.prepared.map((p) => (isPackedBulk(p) ? { ...p, data: undefined, ends: [...p.ends], texts: Array.from({ length: p.count }, (_, i) => packedText(p, i)) } : p)) });
  const strip = (d: typeof local) => JSON.stringify(texts(d)).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'now');
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
