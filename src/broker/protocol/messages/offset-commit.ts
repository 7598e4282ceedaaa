import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * OffsetCommit (API key 8): stores a consumer group's committed offsets.
 * Versions 0-9 (Kafka 4 removed 0-1); flexible from v8.
 *
 * <grammar>
 * OffsetCommit Request (Version: 0) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Request (Version: 1) => group_id generation_id_or_member_epoch member_id [topics]
 *   group_id => STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset commit_timestamp committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       commit_timestamp => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Request (Version: 2-4) => group_id generation_id_or_member_epoch member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => STRING
 *   retention_time_ms => INT64
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Request (Version: 5) => group_id generation_id_or_member_epoch member_id [topics]
 *   group_id => STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Request (Version: 6) => group_id generation_id_or_member_epoch member_id [topics]
 *   group_id => STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Request (Version: 7) => group_id generation_id_or_member_epoch member_id group_instance_id [topics]
 *   group_id => STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Request (Version: 8-9) => group_id generation_id_or_member_epoch member_id group_instance_id [topics] _tagged_fields
 *   group_id => COMPACT_STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata _tagged_fields
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => COMPACT_NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 0-2) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 *
 * OffsetCommit Response (Version: 3-7) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 *
 * OffsetCommit Response (Version: 8-9) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index error_code _tagged_fields
 *       partition_index => INT32
 *       error_code => INT16
 * </grammar>
 */
export const offsetCommitApi = defineApi({
  apiKey: 8,
  name: 'OffsetCommit',
  versions: '0-9',
  flexibleVersions: '8+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationIdOrMemberEpoch', type: 'int32', versions: '1+', default: -1 },
    { name: 'memberId', type: 'string', versions: '1+' },
    { name: 'groupInstanceId', type: 'string', versions: '7+', nullable: '7+', default: null },
    { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1 },
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
            { name: 'committedOffset', type: 'int64', versions: '0+' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1 },
            { name: 'commitTimestamp', type: 'int64', versions: '1', default: -1 },
            { name: 'committedMetadata', type: 'string', versions: '0+', nullable: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
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
          ],
        },
      ],
    },
  ],
});

export type OffsetCommitRequest = RequestOf<typeof offsetCommitApi>;
export type OffsetCommitResponse = ResponseOf<typeof offsetCommitApi>;
export type OffsetCommitRequestInput = RequestInputOf<typeof offsetCommitApi>;
export type OffsetCommitResponseInput = ResponseInputOf<typeof offsetCommitApi>;
