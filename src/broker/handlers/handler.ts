/** What every request handler receives, and how handlers are declared. */
import type { Logger } from '../../telemetry/logger.ts';
import type { BrokerConfig } from '../config.ts';
import type { ClientInfo } from '../connection.ts';
import type { ApiSchema, RequestOf, ResponseInputOf } from '../protocol/api-schema.ts';
import type { TopicManager } from '../topic-manager.ts';
import type { FetchWaiters } from '../fetch-waiters.ts';
import type { GroupCoordinator } from '../groups/group-coordinator.ts';
import type { ProducerIdAllocator } from '../producer-ids.ts';
import type { ReadLeases } from '../log/read-buffer-pool.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds handlers of every API
export type AnyApi = ApiSchema<any, any, any, any>;

export interface BrokerContext {
  readonly nodeId: number;
  readonly clusterId: string;
  /** Host and port Metadata and FindCoordinator tell clients to connect to. */
  readonly advertised: { readonly host: string; readonly port: number };
  readonly topics: TopicManager;
  readonly fetchWaiters: FetchWaiters;
  readonly groups: GroupCoordinator;
  readonly producerIds: ProducerIdAllocator;
  readonly logger: Logger;
  /** The effective broker config (loglane.yml plus dynamic changes). */
  config(): BrokerConfig;
  /** Applies dynamic broker config changes (persisted). */
  alterBrokerConfigs(configs: Record<string, string>): void;
  /** Dynamic overrides currently set (Kafka names). */
  brokerConfigOverrides(): Readonly<Record<string, string>>;
  /** True once shutdown began: long polls answer at once. */
  isStopping(): boolean;
}

export interface RequestContext {
  readonly broker: BrokerContext;
  readonly client: ClientInfo;
  readonly apiVersion: number;
  readonly clientId: string | null;
  /**
   * Pooled read buffers the response may hold views of; released only after the
   * response was written to the socket or dropped. Absent: read into fresh buffers.
   */
  readonly leases?: ReadLeases;
}

export interface Handler<A extends AnyApi = AnyApi> {
  readonly api: A;
  handle(request: RequestOf<A>, ctx: RequestContext): ResponseInputOf<A> | null | Promise<ResponseInputOf<A> | null>;
}

export function defineHandler<A extends AnyApi>(api: A, handle: Handler<A>['handle']): Handler<AnyApi> {
  return { api, handle } as Handler<AnyApi>;
}
