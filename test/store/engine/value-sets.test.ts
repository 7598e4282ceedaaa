/** Keyword value sets: a term on a value no document ever had is answered without a pass; answers stay right across writes, restarts and many values. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { write } from '../../../src/store/engine/documents.ts';
import { Engine } from '../../../src/store/engine/engine.ts';
import { count } from '../../../src/store/engine/reads.ts';
import { silentLogger } from '../../../src/telemetry/logger.ts';

async function put(engine: Engine, docs: Record<string, unknown>[]): Promise<void> {
  const parts = docs.map((d) => JSON.stringify(d));
  const body = Buffer.from(parts.join(''));
  let at = 0;
  const items = parts.map((p) => {
    const item = { op: 'index' as const, index: 'v', start: at, end: at + Buffer.byteLength(p) };
    at += Buffer.byteLength(p);
    return item;
  });
  assert.equal((await write(engine, { body, items })).errors, false);
}

test('keyword value sets prune absent values and stay correct', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-valuesets-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const open = () => new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true });
  let engine = open();
  await engine.createIndex('v', { mappings: { properties: { level: { type: 'keyword' }, id: { type: 'keyword' }, tags: { type: 'keyword' } } } });
  await put(engine, [{ level: 'info', id: 'a', tags: ['x', 'y'] }, { level: 'error', id: 'b' }]);
  const column = engine.index('v').committedStorage.get('level')!.column;
  assert.deepEqual([...engine.index('v').knownValues(column)!].sort(), ['error', 'info']);
  assert.equal(count(engine, 'v', { term: { level: 'warn' } }, {}).count, 0);
  assert.equal(count(engine, 'v', { term: { tags: 'y' } }, {}).count, 1);
  await put(engine, [{ level: 'warn' }]);
  assert.equal(count(engine, 'v', { term: { level: 'warn' } }, {}).count, 1);
  // many distinct values: no set, comparisons run
  await put(engine, Array.from({ length: 1100 }, (_, i) => ({ id: `id-${i}` })));
  assert.equal(engine.index('v').knownValues(engine.index('v').committedStorage.get('id')!.column), null);
  assert.equal(count(engine, 'v', { term: { id: 'id-1099' } }, {}).count, 1);
  await engine.close();
  engine = open();
  t.after(() => engine.close());
  assert.deepEqual([...engine.index('v').knownValues(column)!].sort(), ['error', 'info', 'warn']);
  assert.equal(count(engine, 'v', { term: { level: 'warn' } }, {}).count, 1);
  assert.equal(count(engine, 'v', { term: { level: 'debug' } }, {}).count, 0);
  assert.equal(count(engine, 'v', { term: { id: 'b' } }, {}).count, 1);
});
