import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * TxnOffsetCommit (API key 28): commits consumer offsets inside a transaction (they
 * become visible when the transaction commits). Versions 0-3; flexible from v3.
 *
 * <grammar>
 * TxnOffsetCommit Request (Version: 0-1) => transactional_id group_id producer_id producer_epoch [topics]
 *   transactional_id => STRING
 *   group_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * TxnOffsetCommit Request (Version: 2) => transactional_id group_id producer_id producer_epoch [topics]
 *   transactional_id => STRING
 *   group_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => NULLABLE_STRING
 *
 * TxnOffsetCommit Request (Version: 3) => transactional_id group_id producer_id producer_epoch generation_id member_id group_instance_id [topics] _tagged_fields
 *   transactional_id => COMPACT_STRING
 *   group_id => COMPACT_STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   generation_id => INT32
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
 * TxnOffsetCommit Response (Version: 0-2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 *
 * TxnOffsetCommit Response (Version: 3) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index error_code _tagged_fields
 *       partition_index => INT32
 *       error_code => INT16
 * </grammar>
 */
export const txnOffsetCommitApi = defineApi({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '3+', default: -1 },
    { name: 'memberId', type: 'string', versions: '3+', default: '' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
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
            { name: 'committedLeaderEpoch', type: 'int32', versions: '2+', default: -1 },
            { name: 'committedMetadata', type: 'string', versions: '0+', nullable: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
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

export type TxnOffsetCommitRequest = RequestOf<typeof txnOffsetCommitApi>;
export type TxnOffsetCommitResponse = ResponseOf<typeof txnOffsetCommitApi>;
export type TxnOffsetCommitRequestInput = RequestInputOf<typeof txnOffsetCommitApi>;
export type TxnOffsetCommitResponseInput = ResponseInputOf<typeof txnOffsetCommitApi>;
