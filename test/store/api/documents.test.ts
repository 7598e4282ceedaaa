import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestStore, type TestStore, uniqueIndex } from '../helpers.ts';

let es: TestStore;
const hooks: (() => Promise<void>)[] = [];
before(async () => {
  es = await startTestStore({ after: (fn) => hooks.push(fn) });
});
after(async () => {
  for (const hook of hooks) await hook();
});

test('index, get, exists, _source, delete a document by id', async () => {
  const index = uniqueIndex('doc');
  const put = await es.request('PUT', `/${index}/_doc/1`, { msg: 'hello', n: 1 });
  assert.equal(put.status, 201);
  assert.deepEqual(put.body, { _index: index, _id: '1', _version: 1, result: 'created', _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1 });
  const again = await es.request('PUT', `/${index}/_doc/1`, { msg: 'hello again' });
  assert.equal(again.status, 200);
  assert.equal(again.body.result, 'updated');
  assert.equal(again.body._version, 2);
  const got = await es.request('GET', `/${index}/_doc/1`);
  assert.deepEqual(got.body, { _index: index, _id: '1', _version: 2, _seq_no: 1, _primary_term: 1, found: true, _source: { msg: 'hello again' } });
  assert.equal((await es.request('HEAD', `/${index}/_doc/1`)).status, 200);
  assert.equal((await es.request('HEAD', `/${index}/_doc/2`)).status, 404);
  assert.deepEqual((await es.request('GET', `/${index}/_doc/2`)).body, { _index: index, _id: '2', found: false });
  assert.deepEqual((await es.request('GET', `/${index}/_source/1`)).body, { msg: 'hello again' });
  assert.equal((await es.request('GET', `/${index}/_source/2`)).status, 404);
  assert.deepEqual((await es.request('GET', `/${index}/_doc/1?_source=false`)).body.found, true);
  assert.equal((await es.request('GET', `/${index}/_doc/1?_source=false`)).body._source, undefined);
  const del = await es.request('DELETE', `/${index}/_doc/1`);
  assert.equal(del.body.result, 'deleted');
  assert.equal((await es.request('DELETE', `/${index}/_doc/1`)).status, 404);
  assert.equal((await es.request('GET', `/no-such-index-d/_doc/1`)).body.error.type, 'index_not_found_exception');
});

test('POST _doc generates ids; _create refuses existing ids with 409; op_type=create too', async () => {
  const index = uniqueIndex('create');
  const auto = await es.request('POST', `/${index}/_doc`, { a: 1 });
  assert.equal(auto.status, 201);
  assert.match(auto.body._id, /^[\w-]{20}$/);
  assert.equal((await es.request('PUT', `/${index}/_create/x`, { a: 1 })).status, 201);
  const conflict = await es.request('PUT', `/${index}/_create/x`, { a: 2 });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error.type, 'version_conflict_engine_exception');
  assert.equal((await es.request('PUT', `/${index}/_doc/x?op_type=create`, { a: 3 })).status, 409);
});

test('_update merges partial documents; if_seq_no guards concurrent writers', async () => {
  const index = uniqueIndex('update');
  await es.request('PUT', `/${index}/_doc/1`, { a: 1, o: { x: 1 } });
  const updated = await es.request('POST', `/${index}/_update/1`, { doc: { b: 2, o: { y: 2 } } });
  assert.equal(updated.body.result, 'updated');
  assert.deepEqual((await es.request('GET', `/${index}/_doc/1`)).body._source, { a: 1, o: { x: 1, y: 2 }, b: 2 });
  const noop = await es.request('POST', `/${index}/_update/1`, { doc: { b: 2 } });
  assert.equal(noop.body.result, 'noop');
  const missing = await es.request('POST', `/${index}/_update/2`, { doc: { b: 2 } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.type, 'document_missing_exception');
  const { _seq_no } = (await es.request('GET', `/${index}/_doc/1`)).body;
  assert.equal((await es.request('PUT', `/${index}/_doc/1?if_seq_no=${_seq_no}&if_primary_term=1`, { c: 3 })).status, 200);
  const stale = await es.request('PUT', `/${index}/_doc/1?if_seq_no=${_seq_no}&if_primary_term=1`, { c: 4 });
  assert.equal(stale.status, 409);
  const external = await es.request('PUT', `/${index}/_doc/e?version=10&version_type=external`, { v: 10 });
  assert.equal(external.body._version, 10);
  assert.equal((await es.request('PUT', `/${index}/_doc/e?version=5&version_type=external`, { v: 5 })).status, 409);
});

test('a body that is not a JSON object is a 400 and nothing is written', async () => {
  const index = uniqueIndex('badbody');
  await es.request('PUT', `/${index}`);
  const bad = await es.request('PUT', `/${index}/_doc/1`, undefined, { raw: '{"a":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.type, 'x_content_parse_exception');
  const array = await es.request('PUT', `/${index}/_doc/1`, [1, 2]);
  assert.equal(array.status, 400);
  const mapping = await es.request('PUT', `/${index}`, undefined);
  assert.equal(mapping.status, 400);
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 0);
});

test('_mget returns documents in order, with per-document errors', async () => {
  const index = uniqueIndex('mget');
  await es.request('PUT', `/${index}/_doc/1`, { a: 1, b: 2 });
  await es.request('PUT', `/${index}/_doc/2`, { a: 2 });
  const res = await es.request('POST', '/_mget', {
    docs: [
      { _index: index, _id: '2' },
      { _index: index, _id: '1', _source: ['a'] },
      { _index: index, _id: '3' },
      { _index: 'no-such-index-mget', _id: '1' },
    ],
  });
  const [two, one, three, missingIndex] = res.body.docs;
  assert.deepEqual(two._source, { a: 2 });
  assert.deepEqual(one._source, { a: 1 });
  assert.equal(three.found, false);
  assert.equal(missingIndex.error.type, 'index_not_found_exception');
  const ids = await es.request('POST', `/${index}/_mget`, { ids: ['1', '2'] });
  assert.deepEqual(
    ids.body.docs.map((d: { _id: string }) => d._id),
    ['1', '2'],
  );
});

test('_count with match_all, term, range, match, bool and q=', async () => {
  const index = uniqueIndex('count');
  await es.request('PUT', `/${index}`, { mappings: { properties: { level: { type: 'keyword' }, n: { type: 'long' }, '@timestamp': { type: 'date' }, msg: { type: 'text' } } } });
  const lines: unknown[] = [];
  for (let i = 0; i < 30; i++) {
    lines.push({ index: { _index: index, _id: String(i) } }, { level: i % 3 === 0 ? 'ERROR' : 'INFO', n: i, '@timestamp': new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(), msg: `request ${i % 2 ? 'failed' : 'ok'} quickly`, tags: i % 2 ? ['odd', 'x'] : ['even'] });
  }
  await es.bulk(lines);
  const count = async (query?: unknown, qs = '') => (await es.request('POST', `/${index}/_count${qs}`, query === undefined ? undefined : { query })).body.count;
  assert.equal(await count(), 30);
  assert.equal(await count({ match_all: {} }), 30);
  assert.equal(await count({ term: { level: 'ERROR' } }), 10);
  assert.equal(await count({ term: { level: { value: 'INFO' } } }), 20);
  assert.equal(await count({ terms: { n: [1, 2, 3, 99] } }), 3);
  assert.equal(await count({ range: { n: { gte: 10, lt: 20 } } }), 10);
  assert.equal(await count({ range: { '@timestamp': { lt: '2024-01-01T10:00:00Z' } } }), 10);
  assert.equal(await count({ match: { msg: 'failed' } }), 15);
  assert.equal(await count({ term: { 'tags.keyword': 'odd' } }), 15);
  assert.equal(await count({ bool: { filter: [{ term: { level: 'ERROR' } }], must_not: [{ match: { msg: 'failed' } }] } }), 5);
  assert.equal(await count({ bool: { should: [{ term: { n: 1 } }, { term: { n: 2 } }] } }), 2);
  assert.equal(await count({ ids: { values: ['1', '2', '404'] } }), 2);
  assert.equal(await count({ exists: { field: 'tags' } }), 30);
  assert.equal(await count(undefined, '?q=level:ERROR'), 10);
  const unknown = await es.request('POST', `/${index}/_count`, { query: { nonsense: {} } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.type, 'parsing_exception');
  assert.equal((await es.request('GET', `/_count`)).status, 200);
});

test('_delete_by_query and _update_by_query with simple queries (retention)', async () => {
  const index = uniqueIndex('dbq');
  const lines: unknown[] = [];
  const now = Date.now();
  for (let i = 0; i < 20; i++) lines.push({ index: { _index: index, _id: String(i) } }, { '@timestamp': new Date(now - i * 86_400_000 + 3_600_000).toISOString(), n: i });
  await es.bulk(lines);
  const deleted = await es.request('POST', `/${index}/_delete_by_query`, { query: { range: { '@timestamp': { lt: 'now-7d' } } } });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body.deleted, 12);
  assert.deepEqual(deleted.body.failures, []);
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 8);
  const updated = await es.request('POST', `/${index}/_update_by_query`, { query: { term: { n: 1 } } });
  assert.equal(updated.body.updated, 1);
  assert.equal((await es.request('GET', `/${index}/_doc/1`)).body._version, 2);
  assert.equal((await es.request('POST', `/${index}/_delete_by_query`, {})).status, 400);
});
