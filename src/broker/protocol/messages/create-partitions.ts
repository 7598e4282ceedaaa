import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * CreatePartitions (API key 37): raises topics' partition counts.
 * Versions 0-3; flexible from v2.
 *
 * <grammar>
 * CreatePartitions Request (Version: 0-1) => [topics] timeout_ms validate_only
 *   topics => name count [assignments]
 *     name => STRING
 *     count => INT32
 *     assignments (nullable) => [broker_ids]
 *       broker_ids => INT32
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * CreatePartitions Request (Version: 2-3) => [topics] timeout_ms validate_only _tagged_fields
 *   topics => name count [assignments] _tagged_fields
 *     name => COMPACT_STRING
 *     count => INT32
 *     assignments (nullable) => [broker_ids] _tagged_fields
 *       broker_ids => INT32
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * CreatePartitions Response (Version: 0-1) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => name error_code error_message
 *     name => STRING
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *
 * CreatePartitions Response (Version: 2-3) => throttle_time_ms [results] _tagged_fields
 *   throttle_time_ms => INT32
 *   results => name error_code error_message _tagged_fields
 *     name => COMPACT_STRING
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 * </grammar>
 */
export const createPartitionsApi = defineApi({
  apiKey: 37,
  name: 'CreatePartitions',
  versions: '0-3',
  flexibleVersions: '2+',
  request: [
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'count', type: 'int32', versions: '0+' },
        {
          name: 'assignments',
          type: 'struct[]',
          versions: '0+',
          nullable: '0+',
          fields: [{ name: 'brokerIds', type: 'int32[]', versions: '0+' }],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+', default: null },
      ],
    },
  ],
});

export type CreatePartitionsRequest = RequestOf<typeof createPartitionsApi>;
export type CreatePartitionsResponse = ResponseOf<typeof createPartitionsApi>;
export type CreatePartitionsRequestInput = RequestInputOf<typeof createPartitionsApi>;
export type CreatePartitionsResponseInput = ResponseInputOf<typeof createPartitionsApi>;
