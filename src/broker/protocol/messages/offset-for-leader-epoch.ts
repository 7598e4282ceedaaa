import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * OffsetForLeaderEpoch (API key 23): the end offset of a leader epoch per partition
 * (consumers validate their positions with it, KIP-320).
 * Versions 0-4 (Kafka 4 removed 0-1); flexible from v4.
 *
 * <grammar>
 * OffsetForLeaderEpoch Request (Version: 0-1) => [topics]
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition leader_epoch
 *       partition => INT32
 *       leader_epoch => INT32
 *
 * OffsetForLeaderEpoch Request (Version: 2) => [topics]
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition current_leader_epoch leader_epoch
 *       partition => INT32
 *       current_leader_epoch => INT32
 *       leader_epoch => INT32
 *
 * OffsetForLeaderEpoch Request (Version: 3) => replica_id [topics]
 *   replica_id => INT32
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition current_leader_epoch leader_epoch
 *       partition => INT32
 *       current_leader_epoch => INT32
 *       leader_epoch => INT32
 *
 * OffsetForLeaderEpoch Request (Version: 4) => replica_id [topics] _tagged_fields
 *   replica_id => INT32
 *   topics => topic [partitions] _tagged_fields
 *     topic => COMPACT_STRING
 *     partitions => partition current_leader_epoch leader_epoch _tagged_fields
 *       partition => INT32
 *       current_leader_epoch => INT32
 *       leader_epoch => INT32
 *
 * OffsetForLeaderEpoch Response (Version: 0) => [topics]
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => error_code partition end_offset
 *       error_code => INT16
 *       partition => INT32
 *       end_offset => INT64
 *
 * OffsetForLeaderEpoch Response (Version: 1) => [topics]
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => error_code partition leader_epoch end_offset
 *       error_code => INT16
 *       partition => INT32
 *       leader_epoch => INT32
 *       end_offset => INT64
 *
 * OffsetForLeaderEpoch Response (Version: 2-3) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => error_code partition leader_epoch end_offset
 *       error_code => INT16
 *       partition => INT32
 *       leader_epoch => INT32
 *       end_offset => INT64
 *
 * OffsetForLeaderEpoch Response (Version: 4) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => topic [partitions] _tagged_fields
 *     topic => COMPACT_STRING
 *     partitions => error_code partition leader_epoch end_offset _tagged_fields
 *       error_code => INT16
 *       partition => INT32
 *       leader_epoch => INT32
 *       end_offset => INT64
 * </grammar>
 */
export const offsetForLeaderEpochApi = defineApi({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    { name: 'replicaId', type: 'int32', versions: '3+', default: -2 },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '2+', default: -1 },
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1 },
            { name: 'endOffset', type: 'int64', versions: '0+', default: -1 },
          ],
        },
      ],
    },
  ],
});

export type OffsetForLeaderEpochRequest = RequestOf<typeof offsetForLeaderEpochApi>;
export type OffsetForLeaderEpochResponse = ResponseOf<typeof offsetForLeaderEpochApi>;
export type OffsetForLeaderEpochRequestInput = RequestInputOf<typeof offsetForLeaderEpochApi>;
export type OffsetForLeaderEpochResponseInput = ResponseInputOf<typeof offsetForLeaderEpochApi>;
