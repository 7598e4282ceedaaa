import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { write } from '../../../src/store/engine/documents.ts';
import { Engine } from '../../../src/store/engine/engine.ts';
import { count, getDocument } from '../../../src/store/engine/reads.ts';
import { silentLogger } from '../../../src/telemetry/logger.ts';
import { startTestStore, uniqueIndex } from '../helpers.ts';

test('indices, mappings, aliases, templates and documents survive a restart', async (t) => {
  let es = await startTestStore(t);
  const index = uniqueIndex('persist');
  await es.request('PUT', `/_index_template/${index}`, { index_patterns: [`${index}-tpl-*`], template: { mappings: { properties: { k: { type: 'keyword' } } } } });
  await es.request('PUT', `/${index}`, { aliases: { [`${index}-alias`]: {} }, mappings: { properties: { level: { type: 'keyword' } } } });
  const lines: unknown[] = [];
  for (let i = 0; i < 100; i++) lines.push({ index: { _index: index, _id: String(i) } }, { level: i % 2 ? 'odd' : 'even', n: i, message: `line ${i}` });
  await es.bulk(lines);
  await es.request('DELETE', `/${index}/_doc/7`);
  es = await es.restart();
  assert.equal((await es.request('GET', `/${index}-alias/_count`)).body.count, 99);
  assert.equal((await es.request('POST', `/${index}/_count`, { query: { term: { level: 'odd' } } })).body.count, 49);
  assert.deepEqual((await es.request('GET', `/${index}/_doc/42`)).body._source, { level: 'even', n: 42, message: 'line 42' });
  assert.equal((await es.request('GET', `/${index}/_doc/7`)).body.found, false);
  const mapping = (await es.request('GET', `/${index}/_mapping`)).body[index].mappings.properties;
  assert.deepEqual(Object.keys(mapping).sort(), ['level', 'message', 'n']);
  assert.equal((await es.request('HEAD', `/_index_template/${index}`)).status, 200);
  // sequence numbers and versions continue where they were
  const next = await es.request('PUT', `/${index}/_doc/1`, { n: 1 });
  assert.equal(next.body._version, 2);
  assert.equal(next.body._seq_no, 101);
});

test('sources written in small batches are packed into compressed blocks and stay readable', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-engine-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const engine = new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true });
  t.after(() => engine.close());
  for (let i = 0; i < 100; i++) {
    const body = Buffer.from(JSON.stringify({ i, message: `small write ${i}` }));
    const res = await write(engine, { body, items: [{ op: 'index', index: 'packed', id: String(i), start: 0, end: body.length }] });
    assert.equal(res.errors, false);
  }
  await write(engine, { body: Buffer.alloc(0), items: [{ op: 'delete', index: 'packed', id: '50' }] });
  const index = engine.index('packed');
  const inlineBefore = index.query('SELECT count(*) AS n FROM docs WHERE source IS NOT NULL', [])[0]!.n;
  assert.equal(inlineBefore, 99);
  assert.equal(await engine.maintenance(), 99);
  assert.equal(index.query('SELECT count(*) AS n FROM docs WHERE source IS NOT NULL', [])[0]!.n, 0);
  assert.ok(Number(index.query('SELECT count(*) AS n FROM blocks', [])[0]!.n) >= 1);
  for (const id of ['0', '49', '51', '99']) {
    const doc = getDocument(engine, 'packed', id);
    assert.deepEqual(JSON.parse(Buffer.from(doc.source!).toString()), { i: Number(id), message: `small write ${id}` });
  }
  assert.equal(getDocument(engine, 'packed', '50').found, false);
  assert.equal(count(engine, 'packed', { match: { message: 'write' } }, {}).count, 99);
});

test('large batches write their sources straight into blocks; updates and deletes inside one batch stay consistent', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-engine-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const engine = new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true });
  t.after(() => engine.close());
  const parts: string[] = [];
  const items: Parameters<typeof write>[1]['items'] = [];
  let offset = 0;
  const add = (op: 'index' | 'update' | 'delete', id: string, doc?: unknown) => {
    if (doc === undefined) {
      items.push({ op, index: 'big', id });
      return;
    }
    const text = JSON.stringify(doc);
    parts.push(text);
    items.push({ op, index: 'big', id, start: offset, end: offset + Buffer.byteLength(text) });
    offset += Buffer.byteLength(text);
  };
  for (let i = 0; i < 300; i++) add('index', String(i), { i, message: `bulk ${i}` });
  add('update', '10', { doc: { extra: 1 } });
  add('delete', '11');
  add('index', '12', { replaced: true });
  const res = await write(engine, { body: Buffer.from(parts.join('')), items });
  assert.equal(res.errors, false);
  const index = engine.index('big');
  assert.equal(index.query('SELECT count(*) AS n FROM docs WHERE source IS NOT NULL', [])[0]!.n, 0);
  assert.deepEqual(JSON.parse(Buffer.from(getDocument(engine, 'big', '10').source!).toString()), { i: 10, message: 'bulk 10', extra: 1 });
  assert.equal(getDocument(engine, 'big', '11').found, false);
  assert.deepEqual(JSON.parse(Buffer.from(getDocument(engine, 'big', '12').source!).toString()), { replaced: true });
  assert.equal(count(engine, 'big', undefined, {}).count, 299);
  assert.equal(count(engine, 'big', { match: { message: 'bulk' } }, {}).count, 298);
});
