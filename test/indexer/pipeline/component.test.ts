import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Config } from '../../../src/config/load.ts';
import { configSchema } from '../../../src/config/schema.ts';
import { indexerComponent, indexerEndpoints } from '../../../src/indexer/component.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import { startTestStore } from '../../store/helpers.ts';
import { count, eventually, produce, testLogger } from './helpers.ts';

test('the indexer connects to the embedded broker and store by default, or to the configured clusters', () => {
  const embedded = configSchema.parse({ broker: { port: 9093, host: '0.0.0.0' }, store: { port: 9201 } }) as Config;
  assert.deepEqual(indexerEndpoints(embedded), { bootstrap: ['127.0.0.1:9093'], hosts: ['http://127.0.0.1:9201'] });
  const configured = configSchema.parse({ broker: { port: 0 }, indexer: { kafka: { bootstrap_servers: ['k:9092'] }, elasticsearch: { hosts: ['https://es:9200'] } } }) as Config;
  assert.deepEqual(indexerEndpoints(configured), { bootstrap: ['k:9092'], hosts: ['https://es:9200'] });
  const chosenAtStart = configSchema.parse({ broker: { port: 0 }, store: { port: 0 } }) as Config;
  assert.equal(indexerEndpoints(chosenAtStart).bootstrap, undefined);
  // Started in the same process: the ports the broker and store really got.
  const started = [
    { name: 'kafka', host: '127.0.0.1', port: 40001 },
    { name: 'elasticsearch', host: '127.0.0.1', port: 40002 },
  ];
  assert.deepEqual(indexerEndpoints(chosenAtStart, started), { bootstrap: ['127.0.0.1:40001'], hosts: ['http://127.0.0.1:40002'] });
});

test('with no pipeline configured, `logs` is indexed into `logs`: JSON stays structured, text goes to message', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const config = configSchema.parse({ indexer: { kafka: { bootstrap_servers: [bootstrap] }, elasticsearch: { hosts: [store.url] } } }) as Config;
  const running = await indexerComponent.start({ config, logger: testLogger(), dataDir: undefined as never, endpoints: [] });
  t.after(() => running.stop());
  await produce(bootstrap, [
    { topic: 'logs', value: '{"level":"INFO","message":"json event"}' },
    { topic: 'logs', value: 'a plain line' },
  ]);
  await eventually(async () => ((await count(store.url, 'logs')) === 2 ? true : undefined), 30_000, '2 documents in logs');
  assert.equal(running.ready(), true);
  const json = await store.request('GET', '/logs/_doc/logs-0-0');
  assert.equal(json.body._source.level, 'INFO');
  const text = await store.request('GET', '/logs/_doc/logs-0-1');
  assert.equal(text.body._source.message, 'a plain line');
});
