import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestStore } from '../helpers.ts';

test('with users or API keys configured every request must authenticate', async (t) => {
  const es = await startTestStore(t, { users: [{ username: 'elastic', password: 's3cret' }], api_keys: [{ id: 'k1', api_key: 'xyz' }] });
  const anonymous = await es.request('GET', '/');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.type, 'security_exception');
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm="security"/);
  assert.equal(anonymous.headers.get('x-elastic-product'), 'Elasticsearch');
  const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
  assert.equal((await es.request('GET', '/', undefined, { headers: basic('elastic', 's3cret') })).status, 200);
  const wrong = await es.request('GET', '/', undefined, { headers: basic('elastic', 'nope') });
  assert.equal(wrong.status, 401);
  assert.match(wrong.body.error.reason, /unable to authenticate user \[elastic\]/);
  const apiKey = { authorization: `ApiKey ${Buffer.from('k1:xyz').toString('base64')}` };
  assert.equal((await es.request('GET', '/_cluster/health', undefined, { headers: apiKey })).status, 200);
  assert.equal((await es.request('GET', '/', undefined, { headers: { authorization: `ApiKey ${Buffer.from('k1:bad').toString('base64')}` } })).status, 401);
});

test('without users the store is open', async (t) => {
  const es = await startTestStore(t);
  assert.equal((await es.request('GET', '/')).status, 200);
});
