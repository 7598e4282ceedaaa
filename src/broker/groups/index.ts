export { GROUP_COORDINATOR_DEFAULTS, type GroupCoordinatorConfig, resolveGroupCoordinatorConfig } from './config.ts';
export { CONSUMER_PROTOCOL_TYPE, decodeSubscriptionTopics } from './consumer-protocol.ts';
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator.ts';
export type { ExpiryReport } from './offset-retention.ts';
export type { CoordinatorLogger } from './rebalance.ts';
export { type Scheduler, systemScheduler, type TimerHandle } from './scheduler.ts';
export type * from './types.ts';
