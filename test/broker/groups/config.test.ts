import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GROUP_COORDINATOR_DEFAULTS, resolveGroupCoordinatorConfig } from '../../../src/broker/groups/config.ts';
import { isLoglaneError } from '../../../src/errors/loglane-error.ts';

test('defaults are Kafka defaults and the resolved config is frozen', () => {
  const config = resolveGroupCoordinatorConfig({ initialRebalanceDelayMs: 0 });
  assert.equal(config.initialRebalanceDelayMs, 0);
  assert.equal(config.minSessionTimeoutMs, 6_000);
  assert.equal(config.maxSessionTimeoutMs, 1_800_000);
  assert.equal(config.offsetsRetentionMs, 7 * 24 * 3_600_000);
  assert.equal(GROUP_COORDINATOR_DEFAULTS.initialRebalanceDelayMs, 3_000);
  assert.ok(Object.isFrozen(config));
});

test('bad settings are LOGLANE_ERR_CONFIG_INVALID naming the key', () => {
  const cases: [object, string][] = [
    [{ minSessionTimeoutMs: -1 }, 'broker.groups.minSessionTimeoutMs'],
    [{ groupMaxSize: 0 }, 'broker.groups.groupMaxSize'],
    [{ minSessionTimeoutMs: 10, maxSessionTimeoutMs: 5 }, 'broker.groups.minSessionTimeoutMs'],
    [{ sessionTimeout: 5 }, 'broker.groups.sessionTimeout'],
    [{ offsetsRetentionMs: 1.5 }, 'broker.groups.offsetsRetentionMs'],
  ];
  for (const [overrides, keyPath] of cases) {
    assert.throws(
      () => resolveGroupCoordinatorConfig(overrides as never),
      (error) => isLoglaneError(error, 'LOGLANE_ERR_CONFIG_INVALID') && error.context.keyPath === keyPath,
      JSON.stringify(overrides),
    );
  }
});
