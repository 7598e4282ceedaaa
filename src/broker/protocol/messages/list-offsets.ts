import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * ListOffsets (API key 2): the offset for a timestamp per partition (-1 latest,
 * -2 earliest, -3 max timestamp from v7, -4/-5 tiered-storage bounds from v8/v9).
 * Versions 0-9; flexible from v6.
 *
 * <grammar>
 * ListOffsets Request (Version: 0) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp max_num_offsets
 *       partition_index => INT32
 *       timestamp => INT64
 *       max_num_offsets => INT32
 *
 * ListOffsets Request (Version: 1) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp
 *       partition_index => INT32
 *       timestamp => INT64
 *
 * ListOffsets Request (Version: 2-3) => replica_id isolation_level [topics]
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp
 *       partition_index => INT32
 *       timestamp => INT64
 *
 * ListOffsets Request (Version: 4-5) => replica_id isolation_level [topics]
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index current_leader_epoch timestamp
 *       partition_index => INT32
 *       current_leader_epoch => INT32
 *       timestamp => INT64
 *
 * ListOffsets Request (Version: 6-9) => replica_id isolation_level [topics] _tagged_fields
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index current_leader_epoch timestamp _tagged_fields
 *       partition_index => INT32
 *       current_leader_epoch => INT32
 *       timestamp => INT64
 *
 * ListOffsets Response (Version: 0) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code [old_style_offsets]
 *       partition_index => INT32
 *       error_code => INT16
 *       old_style_offsets => INT64
 *
 * ListOffsets Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 *
 * ListOffsets Response (Version: 2-3) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 *
 * ListOffsets Response (Version: 4-5) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset leader_epoch
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 *       leader_epoch => INT32
 *
 * ListOffsets Response (Version: 6-9) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index error_code timestamp offset leader_epoch _tagged_fields
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 *       leader_epoch => INT32
 * </grammar>
 */
export const listOffsetsApi = defineApi({
  apiKey: 2,
  name: 'ListOffsets',
  versions: '0-9',
  flexibleVersions: '6+',
  request: [
    { name: 'replicaId', type: 'int32', versions: '0+' },
    { name: 'isolationLevel', type: 'int8', versions: '2+' },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1 },
            { name: 'timestamp', type: 'int64', versions: '0+' },
            { name: 'maxNumOffsets', type: 'int32', versions: '0', default: 1 },
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
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'oldStyleOffsets', type: 'int64[]', versions: '0' },
            { name: 'timestamp', type: 'int64', versions: '1+', default: -1 },
            { name: 'offset', type: 'int64', versions: '1+', default: -1 },
            { name: 'leaderEpoch', type: 'int32', versions: '4+', default: -1 },
          ],
        },
      ],
    },
  ],
});

export type ListOffsetsRequest = RequestOf<typeof listOffsetsApi>;
export type ListOffsetsResponse = ResponseOf<typeof listOffsetsApi>;
export type ListOffsetsRequestInput = RequestInputOf<typeof listOffsetsApi>;
export type ListOffsetsResponseInput = ResponseInputOf<typeof listOffsetsApi>;
