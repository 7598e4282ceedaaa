import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * AlterConfigs (API key 33): replaces the whole config set of resources (the legacy,
 * non-incremental form). Versions 0-2; flexible from v2.
 *
 * <grammar>
 * AlterConfigs Request (Version: 0-1) => [resources] validate_only
 *   resources => resource_type resource_name [configs]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   validate_only => BOOLEAN
 *
 * AlterConfigs Request (Version: 2) => [resources] validate_only _tagged_fields
 *   resources => resource_type resource_name [configs] _tagged_fields
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configs => name value _tagged_fields
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *   validate_only => BOOLEAN
 *
 * AlterConfigs Response (Version: 0-1) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => error_code error_message resource_type resource_name
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *
 * AlterConfigs Response (Version: 2) => throttle_time_ms [responses] _tagged_fields
 *   throttle_time_ms => INT32
 *   responses => error_code error_message resource_type resource_name _tagged_fields
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 * </grammar>
 */
export const alterConfigsApi = defineApi({
  apiKey: 33,
  name: 'AlterConfigs',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [
    {
      name: 'resources',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
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
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'responses',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+' },
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
      ],
    },
  ],
});

export type AlterConfigsRequest = RequestOf<typeof alterConfigsApi>;
export type AlterConfigsResponse = ResponseOf<typeof alterConfigsApi>;
export type AlterConfigsRequestInput = RequestInputOf<typeof alterConfigsApi>;
export type AlterConfigsResponseInput = ResponseInputOf<typeof alterConfigsApi>;
