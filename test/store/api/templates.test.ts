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

test('composable and component templates apply to new indices (request wins over template)', async () => {
  const prefix = uniqueIndex('tpl');
  assert.deepEqual(
    (await es.request('PUT', `/_component_template/${prefix}-base`, { template: { settings: { number_of_replicas: 0 }, mappings: { properties: { host: { type: 'keyword' } } } } })).body,
    { acknowledged: true },
  );
  await es.request('PUT', `/_index_template/${prefix}`, {
    index_patterns: [`${prefix}-*`],
    composed_of: [`${prefix}-base`],
    priority: 200,
    template: { settings: { refresh_interval: '10s' }, mappings: { properties: { level: { type: 'keyword' } } }, aliases: { [`${prefix}-all`]: {} } },
  });
  await es.request('PUT', `/${prefix}-1`, { mappings: { properties: { extra: { type: 'long' } } } });
  const got = (await es.request('GET', `/${prefix}-1`)).body[`${prefix}-1`];
  assert.deepEqual(Object.keys(got.mappings.properties).sort(), ['extra', 'host', 'level']);
  assert.equal(got.settings.index.refresh_interval, '10s');
  assert.deepEqual(got.aliases, { [`${prefix}-all`]: {} });
  // auto-created by a document write, too
  await es.request('PUT', `/${prefix}-2/_doc/1`, { level: 'x', host: 'y' });
  assert.equal((await es.request('GET', `/${prefix}-2/_mapping`)).body[`${prefix}-2`].mappings.properties.level.type, 'keyword');
  const list = await es.request('GET', `/_index_template/${prefix}`);
  assert.equal(list.body.index_templates[0].name, prefix);
  assert.equal((await es.request('HEAD', `/_index_template/${prefix}`)).status, 200);
  assert.equal((await es.request('GET', `/_index_template/${prefix}-nope`)).status, 404);
  const inUse = await es.request('DELETE', `/_component_template/${prefix}-base`);
  assert.equal(inUse.status, 400);
  assert.equal((await es.request('DELETE', `/_index_template/${prefix}`)).status, 200);
  assert.equal((await es.request('DELETE', `/_component_template/${prefix}-base`)).status, 200);
});

test('legacy templates apply by order when no composable template matches', async () => {
  const prefix = uniqueIndex('legacy');
  await es.request('PUT', `/_template/${prefix}-low`, { index_patterns: [`${prefix}-*`], order: 0, mappings: { properties: { a: { type: 'keyword' } } } });
  await es.request('PUT', `/_template/${prefix}-high`, { index_patterns: [`${prefix}-*`], order: 1, settings: { number_of_replicas: 0 }, mappings: { properties: { b: { type: 'long' } } } });
  assert.equal((await es.request('HEAD', `/_template/${prefix}-low`)).status, 200);
  assert.equal((await es.request('HEAD', `/_template/${prefix}-none`)).status, 404);
  await es.request('PUT', `/${prefix}-x`);
  const props = (await es.request('GET', `/${prefix}-x/_mapping`)).body[`${prefix}-x`].mappings.properties;
  assert.deepEqual(props, { a: { type: 'keyword' }, b: { type: 'long' } });
  assert.ok((await es.request('GET', `/_template/${prefix}-*`)).body[`${prefix}-high`]);
});

test('data streams: created by the first create into a matching name, backing indices, @timestamp required', async () => {
  const name = uniqueIndex('logs-ds');
  await es.request('PUT', `/_index_template/${name}`, { index_patterns: [`${name}*`], data_stream: {}, priority: 300, template: { mappings: { properties: { message: { type: 'text' } } } } });
  const res = await es.bulk([{ create: { _index: name } }, { '@timestamp': '2024-05-01T00:00:00Z', message: 'hi' }, { create: { _index: name } }, { message: 'no timestamp' }, { index: { _index: name, _id: 'x' } }, { '@timestamp': '2024-05-01T00:00:00Z' }]);
  const [ok, noTimestamp, indexOp] = res.body.items.map((i: Record<string, unknown>) => Object.values(i)[0]);
  assert.equal(ok.status, 201);
  assert.match(ok._index, new RegExp(`^\\.ds-${name}-\\d{4}\\.\\d{2}\\.\\d{2}-000001$`));
  assert.equal(noTimestamp.status, 400);
  assert.match(noTimestamp.error.reason, /data stream timestamp field \[@timestamp\] is missing/);
  assert.equal(indexOp.status, 400);
  assert.match(indexOp.error.reason, /only write ops with an op_type of create are allowed in data streams/);
  const streams = await es.request('GET', `/_data_stream/${name}`);
  assert.equal(streams.body.data_streams[0].name, name);
  assert.equal(streams.body.data_streams[0].indices.length, 1);
  assert.equal((await es.request('GET', `/${name}/_count`)).body.count, 1);
  const viaDocApi = await es.request('POST', `/${name}/_doc`, { '@timestamp': '2024-05-01T00:00:01Z', message: 'auto id is a create' });
  assert.equal(viaDocApi.status, 201);
  assert.equal((await es.request('GET', `/${name}/_count`)).body.count, 2);
  await es.request('POST', `/${name}/_delete_by_query`, { query: { ids: { values: [viaDocApi.body._id] } } });
  const rolled = await es.request('POST', `/${name}/_rollover`);
  assert.match(rolled.body.new_index, /-000002$/);
  await es.bulk([{ create: { _index: name } }, { '@timestamp': '2024-05-02T00:00:00Z', message: 'second' }]);
  assert.equal((await es.request('GET', `/${name}/_count`)).body.count, 2);
  assert.equal((await es.request('GET', '/_cat/indices?format=json')).body.some((i: { index: string }) => i.index.startsWith('.ds-')), false);
  assert.equal((await es.request('DELETE', `/_data_stream/${name}`)).status, 200);
  assert.equal((await es.request('GET', `/_data_stream/${name}`)).status, 404);
  const explicit = await es.request('PUT', `/_data_stream/${name}-explicit`);
  assert.deepEqual(explicit.body, { acknowledged: true });
  assert.equal((await es.request('PUT', `/_data_stream/no-template-${name}`)).status, 400);
});

test('ingest pipelines and ILM policies are stored and returned', async () => {
  const id = uniqueIndex('pipeline');
  assert.deepEqual((await es.request('PUT', `/_ingest/pipeline/${id}`, { description: 'd', processors: [{ set: { field: 'a', value: 1 } }] })).body, { acknowledged: true });
  assert.equal((await es.request('GET', `/_ingest/pipeline/${id}`)).body[id].description, 'd');
  assert.equal((await es.request('PUT', `/_ingest/pipeline/${id}-bad`, { description: 'no processors' })).status, 400);
  assert.equal((await es.request('DELETE', `/_ingest/pipeline/${id}`)).status, 200);
  assert.equal((await es.request('GET', `/_ingest/pipeline/${id}`)).status, 404);
  const policy = { policy: { phases: { hot: { actions: { rollover: { max_age: '1d' } } }, delete: { min_age: '7d', actions: { delete: {} } } } } };
  assert.deepEqual((await es.request('PUT', `/_ilm/policy/${id}`, policy)).body, { acknowledged: true });
  const got = (await es.request('GET', `/_ilm/policy/${id}`)).body[id];
  assert.equal(got.version, 1);
  assert.deepEqual(got.policy, policy.policy);
  assert.equal((await es.request('GET', `/_ilm/policy/${id}-none`)).status, 404);
});
