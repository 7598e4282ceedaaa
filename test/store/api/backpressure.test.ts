import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestStore, uniqueIndex } from '../helpers.ts';

test('when the write queue is full, items get per-item 429 es_rejected_execution_exception inside a 200', async (t) => {
  const es = await startTestStore(t, { write_queue_max_bytes: 4096 });
  const index = uniqueIndex('bp');
  const lines: unknown[] = [];
  for (let i = 0; i < 200; i++) lines.push({ index: { _index: index } }, { message: `doc ${i} ${'x'.repeat(100)}` });
  // Several large bulks at once: while the first is being committed, the others do not fit.
  const responses = await Promise.all(Array.from({ length: 4 }, () => es.bulk(lines)));
  for (const res of responses) assert.equal(res.status, 200);
  const statuses = responses.flatMap((r) => r.body.items.map((i: { index: { status: number } }) => i.index.status));
  const rejected = responses.flatMap((r) => r.body.items.filter((i: { index: { status: number } }) => i.index.status === 429));
  assert.ok(rejected.length > 0, 'some items were rejected');
  assert.ok(statuses.some((s: number) => s === 201), 'some items were accepted');
  assert.equal(rejected[0].index.error.type, 'es_rejected_execution_exception');
  assert.ok(responses.some((r) => r.body.errors === true));
  const accepted = statuses.filter((s: number) => s === 201).length;
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, accepted);
});

test('test mode rejects the first attempt of every Nth item and accepts its retry', async (t) => {
  const es = await startTestStore(t, { test_reject_every_nth_item: 3 });
  const index = uniqueIndex('fault');
  const lines: unknown[] = [];
  for (let i = 0; i < 9; i++) lines.push({ index: { _index: index, _id: String(i) } }, { n: i });
  const first = await es.bulk(lines);
  const rejectedIds = first.body.items.filter((i: { index: { status: number } }) => i.index.status === 429).map((i: { index: { _id: string } }) => i.index._id);
  assert.deepEqual(rejectedIds, ['2', '5', '8']);
  const retry = await es.bulk(rejectedIds.flatMap((id: string) => [{ index: { _index: index, _id: id } }, { n: Number(id) }]));
  assert.equal(retry.body.errors, false);
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 9);
});
