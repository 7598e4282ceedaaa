import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * CreateTopics (API key 19): creates topics with a partition count (or explicit
 * assignments) and configs; v5+ answers with the resulting configs, v7+ with topic ids.
 * Versions 0-7 (Kafka 4 removed 0-1); flexible from v5.
 *
 * <grammar>
 * CreateTopics Request (Version: 0) => [topics] timeout_ms
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     name => STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids]
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   timeout_ms => INT32
 *
 * CreateTopics Request (Version: 1-4) => [topics] timeout_ms validate_only
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     name => STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids]
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * CreateTopics Request (Version: 5-7) => [topics] timeout_ms validate_only _tagged_fields
 *   topics => name num_partitions replication_factor [assignments] [configs] _tagged_fields
 *     name => COMPACT_STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids] _tagged_fields
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value _tagged_fields
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * CreateTopics Response (Version: 0) => [topics]
 *   topics => name error_code
 *     name => STRING
 *     error_code => INT16
 *
 * CreateTopics Response (Version: 1) => [topics]
 *   topics => name error_code error_message
 *     name => STRING
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *
 * CreateTopics Response (Version: 2-4) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name error_code error_message
 *     name => STRING
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *
 * CreateTopics Response (Version: 5-6) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name error_code error_message num_partitions replication_factor [configs] _tagged_fields
 *     name => COMPACT_STRING
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     configs (nullable) => name value read_only config_source is_sensitive _tagged_fields
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *     topic_config_error_code (tag 0) => INT16
 *
 * CreateTopics Response (Version: 7) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name topic_id error_code error_message num_partitions replication_factor [configs] _tagged_fields
 *     name => COMPACT_STRING
 *     topic_id => UUID
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     configs (nullable) => name value read_only config_source is_sensitive _tagged_fields
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *     topic_config_error_code (tag 0) => INT16
 * </grammar>
 */
export const createTopicsApi = defineApi({
  apiKey: 19,
  name: 'CreateTopics',
  versions: '0-7',
  flexibleVersions: '5+',
  request: [
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'numPartitions', type: 'int32', versions: '0+' },
        { name: 'replicationFactor', type: 'int16', versions: '0+' },
        {
          name: 'assignments',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'brokerIds', type: 'int32[]', versions: '0+' },
          ],
        },
        {
          name: 'configs',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'value', type: 'string', versions: '0+', nullable: '0+' },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    { name: 'validateOnly', type: 'bool', versions: '1+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'topicId', type: 'uuid', versions: '7+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '1+', nullable: '0+' },
        { name: 'topicConfigErrorCode', type: 'int16', versions: '5+', tag: 0 },
        { name: 'numPartitions', type: 'int32', versions: '5+', default: -1 },
        { name: 'replicationFactor', type: 'int16', versions: '5+', default: -1 },
        {
          name: 'configs',
          type: 'struct[]',
          versions: '5+',
          nullable: '5+',
          fields: [
            { name: 'name', type: 'string', versions: '5+' },
            { name: 'value', type: 'string', versions: '5+', nullable: '5+' },
            { name: 'readOnly', type: 'bool', versions: '5+' },
            { name: 'configSource', type: 'int8', versions: '5+', default: -1 },
            { name: 'isSensitive', type: 'bool', versions: '5+' },
          ],
        },
      ],
    },
  ],
});

export type CreateTopicsRequest = RequestOf<typeof createTopicsApi>;
export type CreateTopicsResponse = ResponseOf<typeof createTopicsApi>;
export type CreateTopicsRequestInput = RequestInputOf<typeof createTopicsApi>;
export type CreateTopicsResponseInput = ResponseInputOf<typeof createTopicsApi>;
