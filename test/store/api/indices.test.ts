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

test('create, exists, get and delete an index with settings, mappings and aliases', async () => {
  const index = uniqueIndex('create');
  assert.equal((await es.request('HEAD', `/${index}`)).status, 404);
  const created = await es.request('PUT', `/${index}`, {
    settings: { number_of_shards: 2, 'index.refresh_interval': '5s' },
    mappings: { properties: { level: { type: 'keyword' }, took: { type: 'long' } } },
    aliases: { [`${index}-alias`]: {} },
  });
  assert.deepEqual(created.body, { acknowledged: true, shards_acknowledged: true, index });
  assert.equal((await es.request('HEAD', `/${index}`)).status, 200);
  const got = await es.request('GET', `/${index}`);
  assert.deepEqual(got.body[index].mappings, { properties: { level: { type: 'keyword' }, took: { type: 'long' } } });
  assert.deepEqual(got.body[index].aliases, { [`${index}-alias`]: {} });
  assert.equal(got.body[index].settings.index.number_of_shards, '2');
  assert.equal(got.body[index].settings.index.refresh_interval, '5s');
  assert.equal(got.body[index].settings.index.provided_name, index);
  const again = await es.request('PUT', `/${index}`);
  assert.equal(again.status, 400);
  assert.equal(again.body.error.type, 'resource_already_exists_exception');
  assert.deepEqual((await es.request('DELETE', `/${index}`)).body, { acknowledged: true });
  assert.equal((await es.request('HEAD', `/${index}`)).status, 404);
  assert.equal((await es.request('DELETE', `/${index}`)).body.error.type, 'index_not_found_exception');
});

test('index names are validated like Elasticsearch', async () => {
  for (const [name, reason] of [
    ['UPPER', /must be lowercase/],
    ['a%23b', /must not contain the following characters/],
    ['-dash', /must not start with '_', '-', or '\+'/],
  ] as const) {
    const res = await es.request('PUT', `/${name}`);
    assert.equal(res.status, 400, name);
    assert.equal(res.body.error.type, 'invalid_index_name_exception');
    assert.match(res.body.error.reason, reason);
  }
});

test('bad bodies get 400s that name the problem and create nothing', async () => {
  const index = uniqueIndex('bad');
  const json = await es.request('PUT', `/${index}`, undefined, { raw: '{"mappings": ', headers: { 'content-type': 'application/json' } });
  assert.equal(json.status, 400);
  assert.equal(json.body.error.type, 'x_content_parse_exception');
  const type = await es.request('PUT', `/${index}`, { mappings: { properties: { a: { type: 'no_such_type' } } } });
  assert.equal(type.status, 400);
  assert.equal(type.body.error.type, 'mapper_parsing_exception');
  assert.match(type.body.error.reason, /No handler for type \[no_such_type\] declared on field \[a\]/);
  const shards = await es.request('PUT', `/${index}`, { settings: { number_of_shards: 0 } });
  assert.equal(shards.status, 400);
  assert.equal((await es.request('HEAD', `/${index}`)).status, 404);
});

test('mappings: get, put new fields, refuse type changes', async () => {
  const index = uniqueIndex('mapping');
  await es.request('PUT', `/${index}`, { mappings: { properties: { a: { type: 'long' } } } });
  assert.deepEqual((await es.request('PUT', `/${index}/_mapping`, { properties: { b: { type: 'keyword' } } })).body, { acknowledged: true });
  const got = await es.request('GET', `/${index}/_mapping`);
  assert.deepEqual(got.body, { [index]: { mappings: { properties: { a: { type: 'long' }, b: { type: 'keyword' } } } } });
  const conflict = await es.request('PUT', `/${index}/_mapping`, { properties: { a: { type: 'text' } } });
  assert.equal(conflict.status, 400);
  assert.equal(conflict.body.error.type, 'illegal_argument_exception');
  assert.match(conflict.body.error.reason, /mapper \[a\] cannot be changed from type \[long\] to \[text\]/);
  const all = await es.request('GET', '/_mapping');
  assert.ok(all.body[index]);
  assert.equal((await es.request('GET', '/no-such-index-m/_mapping')).status, 404);
});

test('settings: get, update dynamic ones, refuse static ones', async () => {
  const index = uniqueIndex('settings');
  await es.request('PUT', `/${index}`);
  assert.deepEqual((await es.request('PUT', `/${index}/_settings`, { index: { refresh_interval: '30s', number_of_replicas: 0 } })).body, { acknowledged: true });
  const got = await es.request('GET', `/${index}/_settings`);
  assert.equal(got.body[index].settings.index.refresh_interval, '30s');
  const one = await es.request('GET', `/${index}/_settings/index.refresh_interval?flat_settings=true`);
  assert.deepEqual(one.body, { [index]: { settings: { 'index.refresh_interval': '30s' } } });
  const refused = await es.request('PUT', `/${index}/_settings`, { number_of_shards: 3 });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.reason, /Can't update non dynamic settings \[\[index.number_of_shards\]\]/);
});

test('wildcards, comma lists, exclusions, _all and date math resolve index names', async () => {
  const prefix = uniqueIndex('wild');
  for (const suffix of ['a', 'b', 'c']) await es.request('PUT', `/${prefix}-${suffix}`);
  const names = async (expression: string, query = '') => Object.keys((await es.request('GET', `/${expression}/_mapping${query}`)).body).sort();
  assert.deepEqual(await names(`${prefix}-*`), [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  assert.deepEqual(await names(`${prefix}-a,${prefix}-c`), [`${prefix}-a`, `${prefix}-c`]);
  assert.deepEqual(await names(`${prefix}-*,-${prefix}-b`), [`${prefix}-a`, `${prefix}-c`]);
  assert.ok((await names('_all')).includes(`${prefix}-b`));
  assert.equal((await es.request('GET', `/${prefix}-a,nope/_mapping`)).status, 404);
  assert.deepEqual(await names(`${prefix}-a,nope`, '?ignore_unavailable=true'), [`${prefix}-a`]);
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '.');
  const mathName = encodeURIComponent(`<${prefix}-dm-{now/d}>`);
  const created = await es.request('PUT', `/${mathName}`);
  assert.equal(created.body.index, `${prefix}-dm-${today}`);
  assert.equal((await es.request('HEAD', `/${prefix}-dm-${today}`)).status, 200);
  assert.equal((await es.request('DELETE', `/${prefix}-*`)).status, 200);
  assert.deepEqual(await names(`${prefix}-*`), []);
});

test('aliases: _aliases actions, alias endpoints, writes through an alias', async () => {
  const a = uniqueIndex('alias-a');
  const b = uniqueIndex('alias-b');
  const alias = uniqueIndex('alias');
  await es.request('PUT', `/${a}`);
  await es.request('PUT', `/${b}`);
  const actions = await es.request('POST', '/_aliases', {
    actions: [{ add: { index: a, alias, is_write_index: true } }, { add: { index: b, alias } }],
  });
  assert.deepEqual(actions.body, { acknowledged: true, errors: false });
  assert.deepEqual((await es.request('GET', `/_alias/${alias}`)).body, { [a]: { aliases: { [alias]: { is_write_index: true } } }, [b]: { aliases: { [alias]: {} } } });
  assert.equal((await es.request('HEAD', `/_alias/${alias}`)).status, 200);
  assert.equal((await es.request('HEAD', `/_alias/${alias}-missing`)).status, 404);
  const missing = await es.request('GET', `/_alias/${alias}-missing`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error, `alias [${alias}-missing] missing`);
  const written = await es.request('PUT', `/${alias}/_doc/1?refresh=true`, { x: 1 });
  assert.equal(written.body._index, a);
  assert.equal((await es.request('GET', `/${alias}/_count`)).body.count, 1);
  assert.deepEqual((await es.request('DELETE', `/${b}/_alias/${alias}`)).body, { acknowledged: true, errors: false });
  await es.request('PUT', `/${b}/_alias/${alias}-2`);
  assert.deepEqual(Object.keys((await es.request('GET', `/${b}/_alias`)).body[b].aliases), [`${alias}-2`]);
  const clash = await es.request('POST', '/_aliases', { actions: [{ add: { index: a, alias: b } }] });
  assert.equal(clash.body.error.type, 'invalid_alias_name_exception');
});

test('refresh, flush and forcemerge answer with shard counts', async () => {
  const index = uniqueIndex('refresh');
  await es.request('PUT', `/${index}`);
  assert.deepEqual((await es.request('POST', `/${index}/_refresh`)).body, { _shards: { total: 1, successful: 1, failed: 0 } });
  assert.equal((await es.request('POST', '/_refresh')).status, 200);
  assert.equal((await es.request('POST', `/${index}/_flush`)).body._shards.failed, 0);
  assert.equal((await es.request('POST', `/${index}/_forcemerge?max_num_segments=1`)).body._shards.failed, 0);
});

test('closed indices refuse writes and reopen', async () => {
  const index = uniqueIndex('close');
  await es.request('PUT', `/${index}`);
  assert.equal((await es.request('POST', `/${index}/_close`)).body.indices[index].closed, true);
  const refused = await es.request('PUT', `/${index}/_doc/1`, { a: 1 });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.type, 'index_closed_exception');
  await es.request('POST', `/${index}/_open`);
  assert.equal((await es.request('PUT', `/${index}/_doc/1`, { a: 1 })).status, 201);
});
