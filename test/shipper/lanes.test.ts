import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lanesSchema } from '../../src/shipper/config.ts';
import { BurstLane, createLanes, type LaneChange } from '../../src/shipper/lanes.ts';
import { createRouter } from '../../src/shipper/router.ts';
import { shipperMetrics } from '../../src/shipper/metrics.ts';
import { capturingLogger } from './helpers.ts';

const burstConfig = { tenant_field: '[fields][tenant]', topic: 'logs-burst', events_per_second: 10, window_ms: 1000, hold_ms: 5000 };

test('a tenant at 10× its budget moves to the burst lane within one window and returns after the hold time; others stay', () => {
  const changes: LaneChange[] = [];
  const lane = new BurstLane(burstConfig, (c) => changes.push(c));
  let now = 0;
  // Tenant "big" sends 100 events/s (budget 10/s), "small" 5 events/s, for 3 s.
  for (let ms = 0; ms < 3000; ms += 10) {
    now = ms;
    lane.record('big', now);
    if (ms % 200 === 0) assert.equal(lane.record('small', now), false);
  }
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.tenant, 'big');
  assert.equal(changes[0]!.to, 'burst');
  assert.ok(changes[0]!.at < 1000, `moved at ${changes[0]!.at} ms, within the first window`);
  // Back within budget (5/s): stays in burst until hold_ms after the last window over budget (ends at 3000).
  for (let ms = 3000; ms < 12_000; ms += 200) {
    now = ms;
    const burst = lane.record('big', now);
    assert.equal(burst, ms < 3000 + 5000, `at ${ms}`);
  }
  assert.deepEqual(
    changes.map((c) => [c.to, c.at]),
    [
      ['burst', changes[0]!.at],
      ['normal', 8000],
    ],
  );
  assert.equal(lane.isBurst('small'), false);
});

test('tick returns a silent tenant after the hold time', () => {
  const changes: LaneChange[] = [];
  const lane = new BurstLane(burstConfig, (c) => changes.push(c));
  for (let i = 0; i < 11; i++) lane.record('t', 100);
  assert.equal(lane.isBurst('t'), true);
  lane.tick(5999);
  assert.equal(lane.isBurst('t'), true);
  lane.tick(6000);
  assert.equal(lane.isBurst('t'), false);
  assert.deepEqual(
    changes.map((c) => c.to),
    ['burst', 'normal'],
  );
});

test('lanes route by attribute (sla) and by burst; moves are logged and counted per tenant', async () => {
  const { lines, logger } = capturingLogger();
  let now = 0;
  const lanes = createLanes(lanesSchema.parse({ field: '[fields][sla]', topics: { high: 'logs-high', medium: 'logs-medium' }, default: 'logs-low', burst: { ...burstConfig, tenant_field: '[fields][tenant]' } }), () => now, logger);
  const route = createRouter({ topic: 'logs', topics: [], key: '%{[fields][tenant]}' }, lanes);
  assert.deepEqual(route({ fields: { sla: 'high', tenant: 'tenant-lanes-a' } }), { topic: 'logs-high', key: 'tenant-lanes-a' });
  assert.equal(route({ fields: { sla: 'medium', tenant: 'b' } }).topic, 'logs-medium');
  assert.equal(route({ fields: { sla: 'other', tenant: 'b' } }).topic, 'logs-low');
  for (let i = 0; i < 20; i++) route({ fields: { sla: 'high', tenant: 'tenant-lanes-a' } });
  assert.equal(route({ fields: { sla: 'high', tenant: 'tenant-lanes-a' } }).topic, 'logs-burst');
  assert.equal(route({ fields: { sla: 'high', tenant: 'b' } }).topic, 'logs-high');
  now = 6000;
  lanes.tick(now);
  assert.equal(route({ fields: { sla: 'high', tenant: 'tenant-lanes-a' } }).topic, 'logs-high');
  const moves = lines.filter((l) => l.tenant === 'tenant-lanes-a');
  assert.deepEqual(
    moves.map((l) => l.lane),
    ['logs-burst', 'normal'],
  );
  const counted = (await shipperMetrics.laneMoves.get()).values.filter((v) => v.labels.tenant === 'tenant-lanes-a');
  assert.deepEqual(counted.map((v) => [v.labels.to, v.value]).sort(), [
    ['burst', 1],
    ['normal', 1],
  ]);
});

test('router: ordered conditional rules (first match wins), template default, key template', () => {
  const route = createRouter({
    topic: '%{[fields][log_topic]}',
    topics: [
      { if: '[level] == "ERROR"', topic: 'logs-errors' },
      { if: '[level] =~ /^E/', topic: 'never' },
      { if: '[service]', topic: 'svc-%{[service]}' },
    ],
    key: '%{[user]}',
  });
  assert.deepEqual(route({ level: 'ERROR', service: 'a', user: 'u1' }), { topic: 'logs-errors', key: 'u1' });
  assert.equal(route({ service: 'api' }).topic, 'svc-api');
  assert.equal(route({ fields: { log_topic: 'from-field' } }).topic, 'from-field');
  assert.equal(route({}).topic, '%{[fields][log_topic]}');
});
