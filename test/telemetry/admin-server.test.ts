import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startAdminServer } from '../../src/telemetry/admin-server.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { counter } from '../../src/telemetry/metrics.ts';

test('admin listener answers /health, /ready and /metrics', async (t) => {
  let ready = false;
  const admin = await startAdminServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), readiness: () => ({ ready, components: { broker: ready } }) });
  t.after(() => admin.close());
  const base = `http://127.0.0.1:${admin.port}`;
  const test_counter = counter({ name: 'loglane_test_admin_total', help: 'test counter' });
  test_counter.inc(3);

  const health = await fetch(`${base}/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  const notReady = await fetch(`${base}/ready`);
  assert.equal(notReady.status, 503);
  assert.deepEqual(await notReady.json(), { status: 'not ready', components: { broker: false } });
  ready = true;
  assert.equal((await fetch(`${base}/ready`)).status, 200);

  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(await metrics.text(), /^loglane_test_admin_total 3$/m);

  assert.equal((await fetch(`${base}/nope`)).status, 404);
  assert.equal((await fetch(`${base}/health`, { method: 'POST' })).status, 405);
});

test('a busy admin port gives LOGLANE_ERR_SERVER_LISTEN', async (t) => {
  const first = await startAdminServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), readiness: () => ({ ready: true, components: {} }) });
  t.after(() => first.close());
  await assert.rejects(
    startAdminServer({ host: '127.0.0.1', port: first.port, logger: silentLogger(), readiness: () => ({ ready: true, components: {} }) }),
    (error: Error & { code?: string }) => error.code === 'LOGLANE_ERR_SERVER_LISTEN' && /EADDRINUSE/.test(error.message),
  );
});
