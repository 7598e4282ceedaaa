/**
 * The full-text index lives in fts.db, written by its own thread; index.db is the source of
 * truth. These tests put fts.db behind index.db (as a kill between the two commits does),
 * delete it, or leave the tables where indices written before fts.db kept them, and check
 * that opening the index makes every stored document searchable again.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { write } from '../../../src/store/engine/documents.ts';
import { Engine } from '../../../src/store/engine/engine.ts';
import { FTS_DB_FILE } from '../../../src/store/engine/fts-store.ts';
import { INDEX_DB_FILE } from '../../../src/store/engine/index-db.ts';
import { count } from '../../../src/store/engine/reads.ts';
import { silentLogger } from '../../../src/telemetry/logger.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-index-db-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const open = (dir: string, fullTextThread = true) => new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true, fullTextThread });

async function index(engine: Engine, from: number, to: number): Promise<void> {
  const parts: string[] = [];
  const items: Parameters<typeof write>[1]['items'] = [];
  let offset = 0;
  for (let i = from; i < to; i++) {
    const text = JSON.stringify({ n: i, message: `payment ${i % 2 ? 'failed' : 'accepted'} for order ${i}`, service: 'api' });
    parts.push(text);
    items.push({ op: 'index', index: 'logs', id: String(i), start: offset, end: offset + Buffer.byteLength(text) });
    offset += Buffer.byteLength(text);
  }
  const res = await write(engine, { body: Buffer.from(parts.join('')), items });
  assert.equal(res.errors, false);
}

const matching = (engine: Engine, text: string) => count(engine, 'logs', { match: { message: text } }, {}).count;
const indexDir = (engine: Engine) => engine.index('logs').dir;

for (const fullTextThread of [true, false]) {
  test(`documents fts.db missed are re-indexed from their sources on open; deleted ones never match (full-text ${fullTextThread ? 'thread' : 'inline'})`, async (t) => {
    const dir = await tempDir(t);
    let engine = open(dir, fullTextThread);
    await index(engine, 0, 100);
    const dirOfIndex = indexDir(engine);
    await engine.close();
    const saved = path.join(dir, 'fts-after-100.db');
    await copyFile(path.join(dirOfIndex, FTS_DB_FILE), saved);

    engine = open(dir, fullTextThread);
    await index(engine, 100, 250);
    await write(engine, { body: Buffer.alloc(0), items: [{ op: 'delete', index: 'logs', id: '1' }] });
    assert.equal(matching(engine, 'failed'), 124);
    await engine.close();
    // fts.db goes back to before the last 150 documents and the delete
    await copyFile(saved, path.join(dirOfIndex, FTS_DB_FILE));

    engine = open(dir, fullTextThread);
    t.after(() => engine.close());
    assert.equal(matching(engine, 'failed'), 124);
    assert.equal(matching(engine, 'payment'), 249);
    assert.equal(count(engine, 'logs', { match_phrase: { message: 'order 1' } }, {}).count, 0);
    assert.equal(count(engine, 'logs', { match_phrase: { message: 'order 201' } }, {}).count, 1);
    await index(engine, 250, 260);
    assert.equal(matching(engine, 'payment'), 259);
  });
}

test('a deleted fts.db is rebuilt from index.db on open', async (t) => {
  const dir = await tempDir(t);
  let engine = open(dir);
  await index(engine, 0, 300);
  const dirOfIndex = indexDir(engine);
  await engine.close();
  await rm(path.join(dirOfIndex, FTS_DB_FILE));
  engine = open(dir);
  t.after(() => engine.close());
  assert.equal(matching(engine, 'accepted'), 150);
  assert.equal(count(engine, 'logs', { match: { service: 'api' } }, {}).count, 300);
});

test('full-text tables inside index.db (written before fts.db existed) move to fts.db on open', async (t) => {
  const dir = await tempDir(t);
  let engine = open(dir);
  await index(engine, 0, 40);
  const dirOfIndex = indexDir(engine);
  await engine.close();
  await rm(path.join(dirOfIndex, FTS_DB_FILE));
  const db = new DatabaseSync(path.join(dirOfIndex, INDEX_DB_FILE));
  db.exec(`CREATE VIRTUAL TABLE fts_1 USING fts5(t0, t1, content='', contentless_delete=1); INSERT INTO fts_1(rowid, t0) VALUES (1, 'stale words');`);
  db.close();
  engine = open(dir);
  t.after(() => engine.close());
  const main = engine.index('logs').query(`SELECT count(*) AS n FROM main.sqlite_master WHERE name = 'fts_1'`, []);
  assert.equal(main[0]!.n, 0);
  assert.equal(matching(engine, 'payment'), 40);
  assert.equal(matching(engine, 'stale'), 0);
});

test('an index without text fields keeps fts.db up to date too, so opening it reads no source', async (t) => {
  const dir = await tempDir(t);
  const engine = open(dir);
  const body = Buffer.from(JSON.stringify({ n: 1 }));
  for (let i = 0; i < 3; i++) {
    const res = await write(engine, { body, items: [{ op: 'index', index: 'numbers', start: 0, end: body.length }] });
    assert.equal(res.errors, false);
  }
  const dirOfIndex = engine.index('numbers').dir;
  await engine.close();
  const db = new DatabaseSync(path.join(dirOfIndex, FTS_DB_FILE), { readOnly: true });
  t.after(() => db.close());
  assert.equal(Number((db.prepare(`SELECT value FROM fts_meta WHERE key = 'indexed_below'`).get() as { value: number }).value), 4);
});
