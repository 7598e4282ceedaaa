import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * Produce (API key 0): appends record batches to partitions. With acks=0 the broker
 * sends no response at all. Versions 0-11; flexible from v9.
 *
 * <grammar>
 * Produce Request (Version: 0-2) => acks timeout_ms [topic_data]
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data]
 *     name => STRING
 *     partition_data => index records
 *       index => INT32
 *       records => RECORDS
 *
 * Produce Request (Version: 3-8) => transactional_id acks timeout_ms [topic_data]
 *   transactional_id => NULLABLE_STRING
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data]
 *     name => STRING
 *     partition_data => index records
 *       index => INT32
 *       records => RECORDS
 *
 * Produce Request (Version: 9-11) => transactional_id acks timeout_ms [topic_data] _tagged_fields
 *   transactional_id => COMPACT_NULLABLE_STRING
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data] _tagged_fields
 *     name => COMPACT_STRING
 *     partition_data => index records _tagged_fields
 *       index => INT32
 *       records => COMPACT_RECORDS
 *
 * Produce Response (Version: 0) => [responses]
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *
 * Produce Response (Version: 1) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *   throttle_time_ms => INT32
 *
 * Produce Response (Version: 2-4) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *   throttle_time_ms => INT32
 *
 * Produce Response (Version: 5-7) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *   throttle_time_ms => INT32
 *
 * Produce Response (Version: 8) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *       record_errors => batch_index batch_index_error_message
 *         batch_index => INT32
 *         batch_index_error_message => NULLABLE_STRING
 *       error_message => NULLABLE_STRING
 *   throttle_time_ms => INT32
 *
 * Produce Response (Version: 9) => [responses] throttle_time_ms _tagged_fields
 *   responses => name [partition_responses] _tagged_fields
 *     name => COMPACT_STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message _tagged_fields
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *       record_errors => batch_index batch_index_error_message _tagged_fields
 *         batch_index => INT32
 *         batch_index_error_message => COMPACT_NULLABLE_STRING
 *       error_message => COMPACT_NULLABLE_STRING
 *   throttle_time_ms => INT32
 *
 * Produce Response (Version: 10-11) => [responses] throttle_time_ms _tagged_fields
 *   responses => name [partition_responses] _tagged_fields
 *     name => COMPACT_STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message _tagged_fields
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *       record_errors => batch_index batch_index_error_message _tagged_fields
 *         batch_index => INT32
 *         batch_index_error_message => COMPACT_NULLABLE_STRING
 *       error_message => COMPACT_NULLABLE_STRING
 *       current_leader (tag 0) => leader_id leader_epoch _tagged_fields
 *         leader_id => INT32
 *         leader_epoch => INT32
 *   throttle_time_ms => INT32
 *   [node_endpoints] (tag 0) => node_id host port rack _tagged_fields
 *     node_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     rack => COMPACT_NULLABLE_STRING
 * </grammar>
 */
export const produceApi = defineApi({
  apiKey: 0,
  name: 'Produce',
  versions: '0-11',
  flexibleVersions: '9+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '3+', nullable: '3+', default: null },
    { name: 'acks', type: 'int16', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    {
      name: 'topicData',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitionData',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'index', type: 'int32', versions: '0+' },
            { name: 'records', type: 'records', versions: '0+', nullable: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    {
      name: 'responses',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitionResponses',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'index', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'baseOffset', type: 'int64', versions: '0+' },
            { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1 },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1 },
            {
              name: 'recordErrors',
              type: 'struct[]',
              versions: '8+',
              fields: [
                { name: 'batchIndex', type: 'int32', versions: '8+' },
                { name: 'batchIndexErrorMessage', type: 'string', versions: '8+', nullable: '8+', default: null },
              ],
            },
            { name: 'errorMessage', type: 'string', versions: '8+', nullable: '8+', default: null },
            {
              name: 'currentLeader',
              type: 'struct',
              versions: '10+',
              tag: 0,
              fields: [
                { name: 'leaderId', type: 'int32', versions: '10+', default: -1 },
                { name: 'leaderEpoch', type: 'int32', versions: '10+', default: -1 },
              ],
            },
          ],
        },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0 },
    {
      name: 'nodeEndpoints',
      type: 'struct[]',
      versions: '10+',
      tag: 0,
      fields: [
        { name: 'nodeId', type: 'int32', versions: '10+' },
        { name: 'host', type: 'string', versions: '10+' },
        { name: 'port', type: 'int32', versions: '10+' },
        { name: 'rack', type: 'string', versions: '10+', nullable: '10+', default: null },
      ],
    },
  ],
});

export type ProduceRequest = RequestOf<typeof produceApi>;
export type ProduceResponse = ResponseOf<typeof produceApi>;
export type ProduceRequestInput = RequestInputOf<typeof produceApi>;
export type ProduceResponseInput = ResponseInputOf<typeof produceApi>;
