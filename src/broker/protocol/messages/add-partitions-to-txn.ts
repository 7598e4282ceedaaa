import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * AddPartitionsToTxn (API key 24): adds partitions to a producer's open transaction.
 * Versions 0-3 here (v4+, the batched broker-to-broker form of KIP-890, is not
 * implemented, so only the "V3AndBelow" fields exist); flexible from v3.
 *
 * <grammar>
 * AddPartitionsToTxn Request (Version: 0-2) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
 *   v3_and_below_transactional_id => STRING
 *   v3_and_below_producer_id => INT64
 *   v3_and_below_producer_epoch => INT16
 *   v3_and_below_topics => name [partitions]
 *     name => STRING
 *     partitions => INT32
 *
 * AddPartitionsToTxn Request (Version: 3) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics] _tagged_fields
 *   v3_and_below_transactional_id => COMPACT_STRING
 *   v3_and_below_producer_id => INT64
 *   v3_and_below_producer_epoch => INT16
 *   v3_and_below_topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => INT32
 *
 * AddPartitionsToTxn Response (Version: 0-2) => throttle_time_ms [results_by_topic_v3_and_below]
 *   throttle_time_ms => INT32
 *   results_by_topic_v3_and_below => name [results_by_partition]
 *     name => STRING
 *     results_by_partition => partition_index partition_error_code
 *       partition_index => INT32
 *       partition_error_code => INT16
 *
 * AddPartitionsToTxn Response (Version: 3) => throttle_time_ms [results_by_topic_v3_and_below] _tagged_fields
 *   throttle_time_ms => INT32
 *   results_by_topic_v3_and_below => name [results_by_partition] _tagged_fields
 *     name => COMPACT_STRING
 *     results_by_partition => partition_index partition_error_code _tagged_fields
 *       partition_index => INT32
 *       partition_error_code => INT16
 * </grammar>
 */
export const addPartitionsToTxnApi = defineApi({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [
    { name: 'v3AndBelowTransactionalId', type: 'string', versions: '0-3' },
    { name: 'v3AndBelowProducerId', type: 'int64', versions: '0-3' },
    { name: 'v3AndBelowProducerEpoch', type: 'int16', versions: '0-3' },
    {
      name: 'v3AndBelowTopics',
      type: 'struct[]',
      versions: '0-3',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'partitions', type: 'int32[]', versions: '0+' },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'resultsByTopicV3AndBelow',
      type: 'struct[]',
      versions: '0-3',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'resultsByPartition',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'partitionErrorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
});

export type AddPartitionsToTxnRequest = RequestOf<typeof addPartitionsToTxnApi>;
export type AddPartitionsToTxnResponse = ResponseOf<typeof addPartitionsToTxnApi>;
export type AddPartitionsToTxnRequestInput = RequestInputOf<typeof addPartitionsToTxnApi>;
export type AddPartitionsToTxnResponseInput = ResponseInputOf<typeof addPartitionsToTxnApi>;
