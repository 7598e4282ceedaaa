import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * OffsetFetch (API key 9): reads a consumer group's committed offsets. Up to v7 one
 * group per request (a null topic list from v2 means all topics); from v8 several
 * groups at once. Versions 0-9 (Kafka 4 removed 0); flexible from v6.
 *
 * <grammar>
 * OffsetFetch Request (Version: 0-1) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Request (Version: 2-5) => group_id [topics]
 *   group_id => STRING
 *   topics (nullable) => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Request (Version: 6) => group_id [topics] _tagged_fields
 *   group_id => COMPACT_STRING
 *   topics (nullable) => name [partition_indexes] _tagged_fields
 *     name => COMPACT_STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Request (Version: 7) => group_id [topics] require_stable _tagged_fields
 *   group_id => COMPACT_STRING
 *   topics (nullable) => name [partition_indexes] _tagged_fields
 *     name => COMPACT_STRING
 *     partition_indexes => INT32
 *   require_stable => BOOLEAN
 *
 * OffsetFetch Request (Version: 8) => [groups] require_stable _tagged_fields
 *   groups => group_id [topics] _tagged_fields
 *     group_id => COMPACT_STRING
 *     topics (nullable) => name [partition_indexes] _tagged_fields
 *       name => COMPACT_STRING
 *       partition_indexes => INT32
 *   require_stable => BOOLEAN
 *
 * OffsetFetch Request (Version: 9) => [groups] require_stable _tagged_fields
 *   groups => group_id member_id member_epoch [topics] _tagged_fields
 *     group_id => COMPACT_STRING
 *     member_id => COMPACT_NULLABLE_STRING
 *     member_epoch => INT32
 *     topics (nullable) => name [partition_indexes] _tagged_fields
 *       name => COMPACT_STRING
 *       partition_indexes => INT32
 *   require_stable => BOOLEAN
 *
 * OffsetFetch Response (Version: 0-1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *
 * OffsetFetch Response (Version: 2) => [topics] error_code
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 *
 * OffsetFetch Response (Version: 3-4) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 *
 * OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 *
 * OffsetFetch Response (Version: 6-7) => throttle_time_ms [topics] error_code _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code _tagged_fields
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       metadata => COMPACT_NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 *
 * OffsetFetch Response (Version: 8-9) => throttle_time_ms [groups] _tagged_fields
 *   throttle_time_ms => INT32
 *   groups => group_id [topics] error_code _tagged_fields
 *     group_id => COMPACT_STRING
 *     topics => name [partitions] _tagged_fields
 *       name => COMPACT_STRING
 *       partitions => partition_index committed_offset committed_leader_epoch metadata error_code _tagged_fields
 *         partition_index => INT32
 *         committed_offset => INT64
 *         committed_leader_epoch => INT32
 *         metadata => COMPACT_NULLABLE_STRING
 *         error_code => INT16
 *     error_code => INT16
 * </grammar>
 */
export const offsetFetchApi = defineApi({
  apiKey: 9,
  name: 'OffsetFetch',
  versions: '0-9',
  flexibleVersions: '6+',
  request: [
    { name: 'groupId', type: 'string', versions: '0-7' },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0-7',
      nullable: '2-7',
      fields: [
        { name: 'name', type: 'string', versions: '0-7' },
        { name: 'partitionIndexes', type: 'int32[]', versions: '0-7' },
      ],
    },
    {
      name: 'groups',
      type: 'struct[]',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+' },
        { name: 'memberId', type: 'string', versions: '9+', nullable: '9+', default: null },
        { name: 'memberEpoch', type: 'int32', versions: '9+', default: -1 },
        {
          name: 'topics',
          type: 'struct[]',
          versions: '8+',
          nullable: '8+',
          fields: [
            { name: 'name', type: 'string', versions: '8+' },
            { name: 'partitionIndexes', type: 'int32[]', versions: '8+' },
          ],
        },
      ],
    },
    { name: 'requireStable', type: 'bool', versions: '7+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0-7',
      fields: [
        { name: 'name', type: 'string', versions: '0-7' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0-7',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0-7' },
            { name: 'committedOffset', type: 'int64', versions: '0-7' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '5-7', default: -1 },
            { name: 'metadata', type: 'string', versions: '0-7', nullable: '0-7' },
            { name: 'errorCode', type: 'int16', versions: '0-7' },
          ],
        },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '2-7', default: 0 },
    {
      name: 'groups',
      type: 'struct[]',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+' },
        {
          name: 'topics',
          type: 'struct[]',
          versions: '8+',
          fields: [
            { name: 'name', type: 'string', versions: '8+' },
            {
              name: 'partitions',
              type: 'struct[]',
              versions: '8+',
              fields: [
                { name: 'partitionIndex', type: 'int32', versions: '8+' },
                { name: 'committedOffset', type: 'int64', versions: '8+' },
                { name: 'committedLeaderEpoch', type: 'int32', versions: '8+', default: -1 },
                { name: 'metadata', type: 'string', versions: '8+', nullable: '8+' },
                { name: 'errorCode', type: 'int16', versions: '8+' },
              ],
            },
          ],
        },
        { name: 'errorCode', type: 'int16', versions: '8+', default: 0 },
      ],
    },
  ],
});

export type OffsetFetchRequest = RequestOf<typeof offsetFetchApi>;
export type OffsetFetchResponse = ResponseOf<typeof offsetFetchApi>;
export type OffsetFetchRequestInput = RequestInputOf<typeof offsetFetchApi>;
export type OffsetFetchResponseInput = ResponseInputOf<typeof offsetFetchApi>;
