import type { ApiSchema } from './api-schema.ts';
import { ProtocolDecodeError, ProtocolEncodeError } from './errors.ts';
import { addOffsetsToTxnApi } from './messages/add-offsets-to-txn.ts';
import { addPartitionsToTxnApi } from './messages/add-partitions-to-txn.ts';
import { alterConfigsApi } from './messages/alter-configs.ts';
import { apiVersionsApi } from './messages/api-versions.ts';
import { createPartitionsApi } from './messages/create-partitions.ts';
import { createTopicsApi } from './messages/create-topics.ts';
import { deleteGroupsApi } from './messages/delete-groups.ts';
import { deleteRecordsApi } from './messages/delete-records.ts';
import { deleteTopicsApi } from './messages/delete-topics.ts';
import { describeClusterApi } from './messages/describe-cluster.ts';
import { describeConfigsApi } from './messages/describe-configs.ts';
import { describeGroupsApi } from './messages/describe-groups.ts';
import { endTxnApi } from './messages/end-txn.ts';
import { fetchApi } from './messages/fetch.ts';
import { findCoordinatorApi } from './messages/find-coordinator.ts';
import { heartbeatApi } from './messages/heartbeat.ts';
import { incrementalAlterConfigsApi } from './messages/incremental-alter-configs.ts';
import { initProducerIdApi } from './messages/init-producer-id.ts';
import { joinGroupApi } from './messages/join-group.ts';
import { leaveGroupApi } from './messages/leave-group.ts';
import { listGroupsApi } from './messages/list-groups.ts';
import { listOffsetsApi } from './messages/list-offsets.ts';
import { metadataApi } from './messages/metadata.ts';
import { offsetCommitApi } from './messages/offset-commit.ts';
import { offsetDeleteApi } from './messages/offset-delete.ts';
import { offsetFetchApi } from './messages/offset-fetch.ts';
import { offsetForLeaderEpochApi } from './messages/offset-for-leader-epoch.ts';
import { produceApi } from './messages/produce.ts';
import { saslAuthenticateApi } from './messages/sasl-authenticate.ts';
import { saslHandshakeApi } from './messages/sasl-handshake.ts';
import { syncGroupApi } from './messages/sync-group.ts';
import { txnOffsetCommitApi } from './messages/txn-offset-commit.ts';

/**
 * The registry of every API this codec implements, by API key, and the version ranges
 * the broker advertises in ApiVersions.
 */
export const APIS = {
  0: produceApi,
  1: fetchApi,
  2: listOffsetsApi,
  3: metadataApi,
  8: offsetCommitApi,
  9: offsetFetchApi,
  10: findCoordinatorApi,
  11: joinGroupApi,
  12: heartbeatApi,
  13: leaveGroupApi,
  14: syncGroupApi,
  15: describeGroupsApi,
  16: listGroupsApi,
  17: saslHandshakeApi,
  18: apiVersionsApi,
  19: createTopicsApi,
  20: deleteTopicsApi,
  21: deleteRecordsApi,
  22: initProducerIdApi,
  23: offsetForLeaderEpochApi,
  24: addPartitionsToTxnApi,
  25: addOffsetsToTxnApi,
  26: endTxnApi,
  28: txnOffsetCommitApi,
  32: describeConfigsApi,
  33: alterConfigsApi,
  36: saslAuthenticateApi,
  37: createPartitionsApi,
  42: deleteGroupsApi,
  44: incrementalAlterConfigsApi,
  47: offsetDeleteApi,
  60: describeClusterApi,
} as const;

export type ApiKey = keyof typeof APIS;
type AnyApi = ApiSchema<unknown, unknown, unknown, unknown>;
type Api<K extends ApiKey> = (typeof APIS)[K];

/** API keys by Kafka's API name, for readable call sites: `ApiKeys.Produce`. */
export const ApiKeys = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  OffsetDelete: 47,
  DescribeCluster: 60,
} as const satisfies Record<string, ApiKey>;

/** Decoded request body of an API key. */
export type RequestBody<K extends ApiKey> = ReturnType<Api<K>['decodeRequest']>;
/** Decoded response body of an API key. */
export type ResponseBody<K extends ApiKey> = ReturnType<Api<K>['decodeResponse']>;
/** Request body accepted by the encoder for an API key. */
export type RequestInput<K extends ApiKey> = Parameters<Api<K>['encodeRequest']>[1];
/** Response body accepted by the encoder for an API key (what a handler returns). */
export type ResponseInput<K extends ApiKey> = Parameters<Api<K>['encodeResponse']>[1];

/** The API of a key, or undefined for keys this codec does not know. */
export function apiByKey(apiKey: number): AnyApi | undefined {
  return Object.hasOwn(APIS, apiKey) ? (APIS[apiKey as ApiKey] as AnyApi) : undefined;
}

/** Kafka's name for an API key ("Produce"), or "Unknown(99)". */
export function apiName(apiKey: number): string {
  return apiByKey(apiKey)?.name ?? `Unknown(${apiKey})`;
}

/** Decodes a request body that starts at `offset` (the frame's body offset). */
export function decodeRequest<K extends ApiKey>(apiKey: K, version: number, buf: Buffer, offset = 0): RequestBody<K> {
  return knownForDecode(apiKey, offset).decodeRequest(version, buf, offset) as RequestBody<K>;
}

/** Decodes a response body that starts at `offset`. */
export function decodeResponse<K extends ApiKey>(apiKey: K, version: number, buf: Buffer, offset = 0): ResponseBody<K> {
  return knownForDecode(apiKey, offset).decodeResponse(version, buf, offset) as ResponseBody<K>;
}

/** Encodes a request body (no header, no size prefix) as chunks; see Writer. */
export function encodeRequest<K extends ApiKey>(apiKey: K, version: number, body: RequestInput<K>): Buffer[] {
  return knownForEncode(apiKey).encodeRequest(version, body);
}

/** Encodes a response body (no header, no size prefix) as chunks; see Writer. */
export function encodeResponse<K extends ApiKey>(apiKey: K, version: number, body: ResponseInput<K>): Buffer[] {
  return knownForEncode(apiKey).encodeResponse(version, body);
}

function knownForDecode(apiKey: number, offset: number): AnyApi {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new ProtocolDecodeError(`unknown API key ${apiKey}`, offset);
  return api;
}

function knownForEncode(apiKey: number): AnyApi {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new ProtocolEncodeError(`unknown API key ${apiKey}`);
  return api;
}

// ---- advertised versions ----

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * The highest Fetch version the broker advertises. 12 until topic ids are served; the
 * codec already implements 13-17, so raising this constant is all ApiVersions needs.
 */
export const FETCH_MAX_ADVERTISED_VERSION = 12;

/**
 * What the broker answers in ApiVersions (reference §1.5): Kafka 4.1's minimum versions,
 * including the v0s old librdkafka checks for features (Produce 0, FindCoordinator 0,
 * JoinGroup 0, InitProducerId 0), and maxima capped where we lack a feature. SASL and
 * the transaction APIs are implemented by the codec but not advertised.
 */
export const ADVERTISED_API_VERSIONS: readonly ApiVersionRange[] = Object.freeze(
  (
    [
      [ApiKeys.Produce, 0, 11],
      [ApiKeys.Fetch, 4, FETCH_MAX_ADVERTISED_VERSION],
      [ApiKeys.ListOffsets, 1, 9],
      [ApiKeys.Metadata, 0, 12],
      [ApiKeys.OffsetCommit, 2, 9],
      [ApiKeys.OffsetFetch, 1, 9],
      [ApiKeys.FindCoordinator, 0, 6],
      [ApiKeys.JoinGroup, 0, 9],
      [ApiKeys.Heartbeat, 0, 4],
      [ApiKeys.LeaveGroup, 0, 5],
      [ApiKeys.SyncGroup, 0, 5],
      [ApiKeys.DescribeGroups, 0, 5],
      [ApiKeys.ListGroups, 0, 5],
      [ApiKeys.ApiVersions, 0, 4],
      [ApiKeys.CreateTopics, 2, 7],
      [ApiKeys.DeleteTopics, 1, 6],
      [ApiKeys.DeleteRecords, 0, 2],
      [ApiKeys.InitProducerId, 0, 5],
      [ApiKeys.OffsetForLeaderEpoch, 2, 4],
      [ApiKeys.DescribeConfigs, 1, 4],
      [ApiKeys.AlterConfigs, 0, 2],
      [ApiKeys.CreatePartitions, 0, 3],
      [ApiKeys.DeleteGroups, 0, 2],
      [ApiKeys.IncrementalAlterConfigs, 0, 1],
      [ApiKeys.OffsetDelete, 0, 0],
      [ApiKeys.DescribeCluster, 0, 1],
    ] as const
  ).map(([apiKey, minVersion, maxVersion]) => Object.freeze({ apiKey, minVersion, maxVersion })),
);

/** The advertised range of an API key, or undefined when it is not advertised. */
export function advertisedRange(apiKey: number): ApiVersionRange | undefined {
  return ADVERTISED_BY_KEY.get(apiKey);
}

const ADVERTISED_BY_KEY = new Map(ADVERTISED_API_VERSIONS.map((r) => [r.apiKey, r]));
