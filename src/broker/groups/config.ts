import { LoglaneError } from '../../errors/loglane-error.ts';

/**
 * Coordinator settings, named after Kafka's broker configs (in brackets), with Kafka's
 * defaults. Validated once by `resolveGroupCoordinatorConfig`, then frozen.
 */
export interface GroupCoordinatorConfig {
  /** [group.min.session.timeout.ms] */
  minSessionTimeoutMs: number;
  /** [group.max.session.timeout.ms] */
  maxSessionTimeoutMs: number;
  /** [group.initial.rebalance.delay.ms] 0 lets a new group form at once (tests). */
  initialRebalanceDelayMs: number;
  /** [group.max.size] */
  groupMaxSize: number;
  /** How long a new member's JoinGroup may stay parked before it is dropped (Kafka: 5 min). */
  newMemberJoinTimeoutMs: number;
  /** [offset.metadata.max.bytes] Counted in characters, as Kafka does. */
  offsetMetadataMaxBytes: number;
  /** [offsets.retention.minutes] in ms. */
  offsetsRetentionMs: number;
  /** [offsets.retention.check.interval.ms] */
  offsetsRetentionCheckIntervalMs: number;
  /** The offset log is rewritten as a snapshot once it is larger than this and 4x the live data. */
  offsetLogCompactBytes: number;
}

export const GROUP_COORDINATOR_DEFAULTS: Readonly<GroupCoordinatorConfig> = Object.freeze({
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 3_000,
  groupMaxSize: Number.MAX_SAFE_INTEGER,
  newMemberJoinTimeoutMs: 300_000,
  offsetMetadataMaxBytes: 4_096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1_000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetLogCompactBytes: 16 * 1024 * 1024,
});

export function resolveGroupCoordinatorConfig(
  overrides: Partial<GroupCoordinatorConfig> = {},
): Readonly<GroupCoordinatorConfig> {
  const config: GroupCoordinatorConfig = { ...GROUP_COORDINATOR_DEFAULTS };
  for (const [key, value] of Object.entries(overrides) as [keyof GroupCoordinatorConfig, unknown][]) {
    if (value === undefined) continue;
    if (!(key in GROUP_COORDINATOR_DEFAULTS)) {
      throw invalid(key, value, `unknown setting; known settings: ${Object.keys(GROUP_COORDINATOR_DEFAULTS).join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw invalid(key, value, 'must be a non-negative integer');
    }
    config[key] = value;
  }
  if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) {
    throw invalid('minSessionTimeoutMs', config.minSessionTimeoutMs, 'must not exceed maxSessionTimeoutMs');
  }
  for (const key of ['groupMaxSize', 'offsetsRetentionCheckIntervalMs'] as const) {
    if (config[key] < 1) throw invalid(key, config[key], 'must be at least 1');
  }
  return Object.freeze(config);
}

function invalid(key: string, value: unknown, why: string): LoglaneError {
  return new LoglaneError(
    'LOGLANE_ERR_CONFIG_INVALID',
    `broker.groups.${key} = ${JSON.stringify(value)}: ${why}`,
    { retriable: false, context: { keyPath: `broker.groups.${key}` } },
  );
}
