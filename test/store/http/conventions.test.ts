import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { startTestStore, type TestStore, uniqueIndex } from '../helpers.ts';

let es: TestStore;
const hooks: (() => Promise<void>)[] = [];
before(async () => {
  es = await startTestStore({ after: (fn) => hooks.push(fn) }, { max_body_bytes: 64 * 1024, version: '8.15.1', cluster_name: 'test-cluster' });
});
after(async () => {
  for (const hook of hooks) await hook();
});

test('GET / answers the handshake with the configured version, build_flavor and tagline', async () => {
  const res = await es.request('GET', '/');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.equal(res.body.cluster_name, 'test-cluster');
  assert.equal(res.body.version.number, '8.15.1');
  assert.equal(res.body.version.build_flavor, 'default');
  assert.equal(res.body.tagline, 'You Know, for Search');
  assert.match(res.body.cluster_uuid, /^[\w-]{22}$/);
  const head = await es.request('HEAD', '/');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.equal(head.headers.get('x-elastic-product'), 'Elasticsearch');
});

test('every response carries X-Elastic-Product, errors included', async () => {
  for (const [method, url] of [
    ['GET', '/no-such-index'],
    ['GET', '/_cluster/health?bogus=1'],
    ['GET', '/a/b/c/d/e'],
    ['GET', '/_bulk'],
    ['HEAD', '/no-such-index'],
  ] as const) {
    const res = await es.request(method, url);
    assert.ok(res.status >= 400, `${method} ${url}`);
    assert.equal(res.headers.get('x-elastic-product'), 'Elasticsearch', `${method} ${url}`);
  }
});

test('errors use the Elasticsearch envelope and type names', async () => {
  const res = await es.request('GET', '/no-such-index');
  assert.equal(res.status, 404);
  assert.equal(res.body.status, 404);
  assert.equal(res.body.error.type, 'index_not_found_exception');
  assert.equal(res.body.error.root_cause[0].type, 'index_not_found_exception');
  assert.equal(res.body.error.index, 'no-such-index');
  const unknown = await es.request('GET', '/a/b/c/d/e');
  assert.deepEqual(unknown.body, { error: 'no handler found for uri [/a/b/c/d/e] and method [GET]', status: 400 });
  const wrongMethod = await es.request('GET', '/_bulk');
  assert.equal(wrongMethod.status, 405);
  assert.match(wrongMethod.body.error, /Incorrect HTTP method for uri \[\/_bulk\] and method \[GET\], allowed: \[.*POST.*\]/);
});

test('unknown query parameters are refused with a 400 naming them', async () => {
  const res = await es.request('GET', '/_cluster/health?wait_for_statuss=green');
  assert.equal(res.status, 400);
  assert.equal(res.body.error.type, 'illegal_argument_exception');
  assert.match(res.body.error.reason, /unrecognized parameter: \[wait_for_statuss\] -> did you mean \[wait_for_status\]\?/);
});

test('vendor media types of versions 7, 8 and 9 are accepted and echoed', async () => {
  for (const version of [7, 8, 9]) {
    const index = uniqueIndex('vnd');
    const res = await es.request('PUT', `/${index}`, undefined, {
      raw: JSON.stringify({ mappings: { properties: { a: { type: 'keyword' } } } }),
      headers: { 'content-type': `application/vnd.elasticsearch+json; compatible-with=${version}`, accept: `application/vnd.elasticsearch+json; compatible-with=${version}` },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), `application/vnd.elasticsearch+json;compatible-with=${version}`);
    const bulk = await es.request('POST', '/_bulk', undefined, {
      raw: `${JSON.stringify({ index: { _index: index } })}\n${JSON.stringify({ a: 'x' })}\n`,
      headers: { 'content-type': `application/vnd.elasticsearch+x-ndjson; compatible-with=${version}` },
    });
    assert.equal(bulk.body.errors, false);
  }
});

test('gzip and deflate request bodies are decoded', async () => {
  const index = uniqueIndex('gz');
  const ndjson = `${JSON.stringify({ index: { _index: index, _id: '1' } })}\n${JSON.stringify({ msg: 'zipped' })}\n`;
  const gz = await es.request('POST', '/_bulk', undefined, { raw: gzipSync(ndjson), headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
  assert.equal(gz.body.errors, false);
  const def = await es.request('POST', '/_bulk', undefined, {
    raw: deflateSync(ndjson.replace('"1"', '"2"')),
    headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'deflate' },
  });
  assert.equal(def.body.errors, false);
  assert.equal((await es.request('GET', `/${index}/_count`)).body.count, 2);
  const bad = await es.request('POST', '/_bulk', undefined, { raw: 'not gzip', headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
  assert.equal(bad.status, 400);
});

test('bodies over max_body_bytes get 413, also when they only grow that large when decompressed', async () => {
  const big = `${`${JSON.stringify({ index: { _index: 'big' } })}\n${JSON.stringify({ m: 'x'.repeat(1000) })}\n`.repeat(100)}`;
  const plain = await es.request('POST', '/_bulk', undefined, { raw: big, headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(plain.status, 413);
  assert.equal(plain.headers.get('x-elastic-product'), 'Elasticsearch');
  const zipped = gzipSync(big);
  assert.ok(zipped.length < 64 * 1024);
  const decoded = await es.request('POST', '/_bulk', undefined, { raw: zipped, headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
  assert.equal(decoded.status, 413);
  assert.equal((await es.request('HEAD', '/big')).status, 404);
});

test('filter_path and pretty shape responses', async () => {
  const res = await es.request('GET', '/?filter_path=version.number,cluster_name');
  assert.deepEqual(res.body, { cluster_name: 'test-cluster', version: { number: '8.15.1' } });
  const excluded = await es.request('GET', '/?filter_path=-version,-tagline,-cluster_uuid,-name');
  assert.deepEqual(excluded.body, { cluster_name: 'test-cluster' });
  const wildcard = await es.request('GET', '/?filter_path=**.number');
  assert.deepEqual(wildcard.body, { version: { number: '8.15.1' } });
  const pretty = await es.request('GET', '/_cluster/health?pretty');
  assert.match(pretty.text, /^\{\n {2}"cluster_name" : "test-cluster"|^\{\n {2}"cluster_name": "test-cluster"/);
});

test('_license, _xpack, _nodes, _cluster/health and _cat answer as clients expect', async () => {
  assert.equal((await es.request('GET', '/_license')).body.license.status, 'active');
  assert.equal((await es.request('GET', '/_xpack')).body.license.type, 'basic');
  const nodes = await es.request('GET', '/_nodes/_all/http');
  assert.equal(nodes.body._nodes.total, 1);
  const node = Object.values(nodes.body.nodes)[0] as { http: { publish_address: string } };
  assert.match(node.http.publish_address, /^127\.0\.0\.1:\d+$/);
  const index = uniqueIndex('health');
  await es.request('PUT', `/${index}`, { settings: { number_of_replicas: 1 } });
  const cluster = await es.request('GET', `/_cluster/health?level=indices`);
  assert.equal(cluster.body.status, 'yellow');
  assert.equal(cluster.body.indices[index].status, 'yellow');
  const waited = await es.request('GET', `/_cluster/health/${index}?wait_for_status=green&timeout=1ms`);
  assert.equal(waited.status, 408);
  assert.equal(waited.body.timed_out, true);
  assert.equal((await es.request('GET', '/_cluster/health/missing-index-x')).body.status, 'red');
  const catJson = await es.request('GET', `/_cat/indices/${index}?format=json`);
  assert.equal(catJson.body[0].index, index);
  assert.equal(catJson.body[0].health, 'yellow');
  assert.equal(catJson.body[0]['docs.count'], '0');
  const catText = await es.request('GET', `/_cat/indices/${index}?v&h=index,docs.count`);
  assert.match(catText.text, new RegExp(`^index\\s+docs.count\\n${index}\\s+0\\n$`));
  const health = await es.request('GET', '/_cat/health?format=json');
  assert.equal(health.body[0].cluster, 'test-cluster');
});

test('the store exposes its Prometheus metrics', async () => {
  const res = await es.request('GET', '/_prometheus/metrics');
  assert.equal(res.status, 200);
  assert.match(res.text, /loglane_store_http_requests_total/);
  assert.match(res.text, /loglane_store_index_size_bytes\{index="/);
});
