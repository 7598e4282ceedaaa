import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * DeleteTopics (API key 20): deletes topics by name (up to v5) or by name or id (v6+).
 * Versions 0-6 (Kafka 4 removed 0); flexible from v4.
 *
 * <grammar>
 * DeleteTopics Request (Version: 0-3) => [topic_names] timeout_ms
 *   topic_names => STRING
 *   timeout_ms => INT32
 *
 * DeleteTopics Request (Version: 4-5) => [topic_names] timeout_ms _tagged_fields
 *   topic_names => COMPACT_STRING
 *   timeout_ms => INT32
 *
 * DeleteTopics Request (Version: 6) => [topics] timeout_ms _tagged_fields
 *   topics => name topic_id _tagged_fields
 *     name => COMPACT_NULLABLE_STRING
 *     topic_id => UUID
 *   timeout_ms => INT32
 *
 * DeleteTopics Response (Version: 0) => [responses]
 *   responses => name error_code
 *     name => STRING
 *     error_code => INT16
 *
 * DeleteTopics Response (Version: 1-3) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => name error_code
 *     name => STRING
 *     error_code => INT16
 *
 * DeleteTopics Response (Version: 4) => throttle_time_ms [responses] _tagged_fields
 *   throttle_time_ms => INT32
 *   responses => name error_code _tagged_fields
 *     name => COMPACT_STRING
 *     error_code => INT16
 *
 * DeleteTopics Response (Version: 5) => throttle_time_ms [responses] _tagged_fields
 *   throttle_time_ms => INT32
 *   responses => name error_code error_message _tagged_fields
 *     name => COMPACT_STRING
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *
 * DeleteTopics Response (Version: 6) => throttle_time_ms [responses] _tagged_fields
 *   throttle_time_ms => INT32
 *   responses => name topic_id error_code error_message _tagged_fields
 *     name => COMPACT_NULLABLE_STRING
 *     topic_id => UUID
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 * </grammar>
 */
export const deleteTopicsApi = defineApi({
  apiKey: 20,
  name: 'DeleteTopics',
  versions: '0-6',
  flexibleVersions: '4+',
  request: [
    {
      name: 'topics',
      type: 'struct[]',
      versions: '6+',
      fields: [
        { name: 'name', type: 'string', versions: '6+', nullable: '6+', default: null },
        { name: 'topicId', type: 'uuid', versions: '6+' },
      ],
    },
    { name: 'topicNames', type: 'string[]', versions: '0-5' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'responses',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', nullable: '6+' },
        { name: 'topicId', type: 'uuid', versions: '6+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '5+', nullable: '5+', default: null },
      ],
    },
  ],
});

export type DeleteTopicsRequest = RequestOf<typeof deleteTopicsApi>;
export type DeleteTopicsResponse = ResponseOf<typeof deleteTopicsApi>;
export type DeleteTopicsRequestInput = RequestInputOf<typeof deleteTopicsApi>;
export type DeleteTopicsResponseInput = ResponseInputOf<typeof deleteTopicsApi>;
