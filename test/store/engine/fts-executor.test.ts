import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { LoglaneError } from '../../../src/errors/loglane-error.ts';
import { ThreadFtsExecutor } from '../../../src/store/engine/fts-executor.ts';
import { FtsStore } from '../../../src/store/engine/fts-store.ts';

test('a failed write in the full-text thread rejects with LOGLANE_ERR_STORE_FULLTEXT, and so does every later one', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-fts-executor-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  FtsStore.open(dir).close();
  const executor = new ThreadFtsExecutor();
  t.after(() => executor.shutdown());
  executor.open('u1', dir);
  await executor.apply('u1', { tables: [{ table: 'fts_1', columns: 1 }], deletes: [], rows: [{ table: 'fts_1', columns: 1, values: [1, 'one'] }], through: 2 });
  const isFullText = (pattern: RegExp) => (error: LoglaneError) => error.code === 'LOGLANE_ERR_STORE_FULLTEXT' && pattern.test(error.message);
  await assert.rejects(executor.apply('u1', { tables: [], deletes: [], rows: [{ table: 'fts_9', columns: 1, values: [2, 'two'] }], through: 3 }), isFullText(/no such table/));
  await assert.rejects(executor.apply('u1', { tables: [], deletes: [], rows: [{ table: 'fts_1', columns: 1, values: [2, 'two'] }], through: 3 }), isFullText(/stopped after a failed write/));
  await assert.rejects(executor.apply('u2', { tables: [], deletes: [], rows: [], through: 1 }), isFullText(/not open/));
});
