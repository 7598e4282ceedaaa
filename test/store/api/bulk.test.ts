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

test('every action gets its result in request order, with status, _id, _version, result and _seq_no', async () => {
  const index = uniqueIndex('bulk');
  const res = await es.bulk([
    { index: { _index: index, _id: '1' } },
    { msg: 'one' },
    { create: { _index: index, _id: '2' } },
    { msg: 'two' },
    { index: { _index: index } },
    { msg: 'auto id' },
    { update: { _index: index, _id: '1' } },
    { doc: { extra: true } },
    { delete: { _index: index, _id: '2' } },
    { index: { _index: index, _id: '1' } },
    { msg: 'one again' },
  ]);
  assert.equal(res.status, 200);
  assert.equal(res.body.errors, false);
  assert.equal(typeof res.body.took, 'number');
  const items = res.body.items.map((item: Record<string, Record<string, unknown>>) => {
    const [op, r] = Object.entries(item)[0]!;
    return [op, r.status, r.result, r._version, r._seq_no];
  });
  assert.deepEqual(items, [
    ['index', 201, 'created', 1, 0],
    ['create', 201, 'created', 1, 1],
    ['index', 201, 'created', 1, 2],
    ['update', 200, 'updated', 2, 3],
    ['delete', 200, 'deleted', 2, 4],
    ['index', 200, 'updated', 3, 5],
  ]);
  const autoId = res.body.items[2].index._id;
  assert.match(autoId, /^[\w-]{20}$/);
  assert.equal(res.body.items[0].index._index, index);
  assert.deepEqual(res.body.items[0].index._shards, { total: 1, successful: 1, failed: 0 });
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 2);
  assert.deepEqual((await es.request('GET', `/${index}/_doc/1`)).body._source, { msg: 'one again' });
  assert.equal((await es.request('GET', `/${index}/_doc/${autoId}`)).body._source.msg, 'auto id');
});

test('failing items fail alone: 409 on create conflicts, per-item parse and mapping errors, 404 deletes', async () => {
  const index = uniqueIndex('bulkerr');
  await es.request('PUT', `/${index}`, { mappings: { properties: { n: { type: 'long' } } } });
  const res = await es.bulk([
    { create: { _index: index, _id: 'a' } },
    { n: 1 },
    { create: { _index: index, _id: 'a' } },
    { n: 2 },
    { index: { _index: index, _id: 'b' } },
    { n: 'not a number' },
    { index: { _index: index, _id: 'c' } },
    '{"n": 3',
    { delete: { _index: index, _id: 'zzz' } },
    { update: { _index: index, _id: 'missing' } },
    { doc: { n: 4 } },
    { index: { _index: index, _id: 'd' } },
    { n: 5 },
  ]);
  assert.equal(res.body.errors, true);
  const [created, conflict, mapping, json, notFound, missing, ok] = res.body.items.map((i: Record<string, unknown>) => Object.values(i)[0]);
  assert.equal(created.status, 201);
  assert.equal(conflict.status, 409);
  assert.equal(conflict.error.type, 'version_conflict_engine_exception');
  assert.match(conflict.error.reason, /\[a\]: version conflict, document already exists \(current version \[1\]\)/);
  assert.equal(conflict.error.index, index);
  assert.equal(mapping.status, 400);
  assert.equal(mapping.error.type, 'document_parsing_exception');
  assert.match(mapping.error.reason, /failed to parse field \[n\] of type \[long\] in document with id 'b'/);
  assert.equal(json.status, 400);
  assert.equal(notFound.status, 404);
  assert.equal(notFound.result, 'not_found');
  assert.equal(notFound.error, undefined);
  assert.equal(missing.status, 404);
  assert.equal(missing.error.type, 'document_missing_exception');
  assert.equal(ok.status, 201);
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 2);
});

test('update supports doc_as_upsert, upsert and detects no-ops', async () => {
  const index = uniqueIndex('upsert');
  const res = await es.bulk([
    { update: { _index: index, _id: '1' } },
    { doc: { a: 1 }, doc_as_upsert: true },
    { update: { _index: index, _id: '2' } },
    { doc: { a: 9 }, upsert: { a: 2 } },
    { update: { _index: index, _id: '1' } },
    { doc: { a: 1 } },
    { update: { _index: index, _id: '2' } },
    { doc: { b: { c: 3 } } },
  ]);
  const results = res.body.items.map((i: Record<string, { result: string }>) => i.update!.result);
  assert.deepEqual(results, ['created', 'created', 'noop', 'updated']);
  assert.deepEqual((await es.request('GET', `/${index}/_doc/2`)).body._source, { a: 2, b: { c: 3 } });
});

test('malformed NDJSON fails the whole request with a 400 naming the line, and writes nothing', async () => {
  const index = uniqueIndex('malformed');
  const cases: [string, RegExp][] = [
    [`{"index":{"_index":"${index}"}}\n{"a":1}\nnot json\n{"a":2}\n`, /Malformed action\/metadata line \[3\]/],
    [`{"index":{"_index":"${index}"}}\n`, /has no document line after it/],
    [`{"explode":{"_index":"${index}"}}\n{}\n`, /unknown parameter \[explode\]/],
    [`{"index":{"_index":"${index}","bogus":1}}\n{}\n`, /unknown parameter \[bogus\]/],
    [`{"index":{"_index":"${index}"}}\n{"a":1}`, /must be terminated by a newline/],
    [`{"delete":{"_index":"${index}"}}\n`, /id is missing/],
    ['', /no requests added/],
  ];
  for (const [body, reason] of cases) {
    const res = await es.request('POST', '/_bulk', undefined, { raw: body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(res.status, 400, body);
    assert.match(res.body.error.reason, reason, body);
  }
  const noIndex = await es.request('POST', '/_bulk', undefined, { raw: '{"index":{}}\n{"a":1}\n', headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(noIndex.body.error.type, 'action_request_validation_exception');
  assert.match(noIndex.body.error.reason, /index is missing/);
  assert.equal((await es.request('HEAD', `/${index}`)).status, 404);
});

test('the index in the path is the default; refresh=true and wait_for are accepted', async () => {
  const index = uniqueIndex('pathidx');
  const res = await es.bulk([{ index: {} }, { a: 1 }, { index: { _id: 'x' } }, { a: 2 }], `/${index}/_bulk?refresh=true`);
  assert.equal(res.body.errors, false);
  assert.equal(res.body.items[0].index.forced_refresh, true);
  assert.equal((await es.bulk([{ index: {} }, { a: 3 }], `/${index}/_bulk?refresh=wait_for`)).body.errors, false);
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 3);
  assert.equal((await es.bulk([{ index: {} }, { a: 3 }], `/${index}/_bulk?refresh=sometimes`)).status, 400);
});

test('require_alias refuses a name that is not an alias', async () => {
  const index = uniqueIndex('reqalias');
  const res = await es.bulk([{ index: { _index: index, require_alias: true } }, { a: 1 }]);
  assert.equal(res.body.items[0].index.status, 404);
  assert.match(res.body.items[0].index.error.reason, /\[require_alias\] request flag is \[true\]/);
  assert.equal((await es.request('HEAD', `/${index}`)).status, 404);
});

test('filter_path=errors,items.*.error,items.*.status gives the answer shape Filebeat asks for', async () => {
  const index = uniqueIndex('fb');
  const res = await es.bulk([{ create: { _index: index } }, { message: 'a' }], '/_bulk?filter_path=errors,items.*.error,items.*.status');
  assert.deepEqual(res.body, { errors: false, items: [{ create: { status: 201 } }] });
});

test('a pipeline named in a bulk is accepted with a warning header', async () => {
  const index = uniqueIndex('pipe');
  const res = await es.bulk([{ index: { _index: index, pipeline: 'p1' } }, { a: 1 }]);
  assert.equal(res.body.errors, false);
  assert.match(res.headers.get('warning') ?? '', /not executed/);
});
