import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import type { LoglaneError } from '../../../src/errors/loglane-error.ts';
import { FTS_DB_FILE, FtsStore } from '../../../src/store/engine/fts-store.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-fts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const matches = (dir: string, table: string, query: string) => {
  const db = new DatabaseSync(path.join(dir, FTS_DB_FILE), { readOnly: true });
  try {
    return (db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`).all(query) as { rowid: number }[]).map((r) => r.rowid);
  } finally {
    db.close();
  }
};

test('batches create tables, insert rows, delete documents and record how far they indexed, across reopening', async (t) => {
  const dir = await tempDir(t);
  const store = FtsStore.open(dir);
  assert.equal(store.indexedBelow, 1);
  store.apply({
    tables: [{ table: 'fts_1', columns: 2 }],
    deletes: [],
    rows: [{ table: 'fts_1', columns: 2, values: [1, 'payment failed', 'api', 2, 'payment ok', null, 3, null, 'web'] }],
    through: 4,
  });
  store.apply({ tables: [], deletes: [2], rows: [], through: 4 });
  store.close();
  const again = FtsStore.open(dir);
  t.after(() => again.close());
  assert.equal(again.indexedBelow, 4);
  assert.deepEqual(again.tables, ['fts_1']);
  assert.deepEqual(matches(dir, 'fts_1', 'payment'), [1]);
  assert.deepEqual(matches(dir, 'fts_1', 't1:web'), [3]);
  again.reset();
  assert.equal(again.indexedBelow, 1);
  assert.deepEqual(again.tables, []);
});

test('after a failed batch no later batch applies (it would move past the lost documents)', async (t) => {
  const dir = await tempDir(t);
  const store = FtsStore.open(dir);
  t.after(() => store.close());
  store.apply({ tables: [{ table: 'fts_1', columns: 1 }], deletes: [], rows: [{ table: 'fts_1', columns: 1, values: [1, 'one'] }], through: 2 });
  // rows for a table that was never created make the batch fail
  assert.throws(
    () => store.apply({ tables: [], deletes: [], rows: [{ table: 'fts_9', columns: 1, values: [2, 'two'] }], through: 3 }),
    (error: LoglaneError) => error.code === 'LOGLANE_ERR_STORE_FULLTEXT' && /writing the full-text index failed: no such table/.test(error.message),
  );
  assert.throws(
    () => store.apply({ tables: [], deletes: [], rows: [{ table: 'fts_1', columns: 1, values: [2, 'two'] }], through: 3 }),
    (error: LoglaneError) => error.code === 'LOGLANE_ERR_STORE_FULLTEXT' && /stopped after a failed write.*indexed again when the store restarts/.test(error.message),
  );
  assert.equal(store.indexedBelow, 2);
});
