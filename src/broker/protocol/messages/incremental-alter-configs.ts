import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * IncrementalAlterConfigs (API key 44): sets, deletes, appends to or subtracts from
 * single config keys (configOperation 0-3). Versions 0-1; flexible from v1.
 *
 * <grammar>
 * IncrementalAlterConfigs Request (Version: 0) => [resources] validate_only
 *   resources => resource_type resource_name [configs]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name config_operation value
 *       name => STRING
 *       config_operation => INT8
 *       value => NULLABLE_STRING
 *   validate_only => BOOLEAN
 *
 * IncrementalAlterConfigs Request (Version: 1) => [resources] validate_only _tagged_fields
 *   resources => resource_type resource_name [configs] _tagged_fields
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configs => name config_operation value _tagged_fields
 *       name => COMPACT_STRING
 *       config_operation => INT8
 *       value => COMPACT_NULLABLE_STRING
 *   validate_only => BOOLEAN
 *
 * IncrementalAlterConfigs Response (Version: 0) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => error_code error_message resource_type resource_name
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *
 * IncrementalAlterConfigs Response (Version: 1) => throttle_time_ms [responses] _tagged_fields
 *   throttle_time_ms => INT32
 *   responses => error_code error_message resource_type resource_name _tagged_fields
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 * </grammar>
 */
export const incrementalAlterConfigsApi = defineApi({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  versions: '0-1',
  flexibleVersions: '1+',
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
            { name: 'configOperation', type: 'int8', versions: '0+' },
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

export type IncrementalAlterConfigsRequest = RequestOf<typeof incrementalAlterConfigsApi>;
export type IncrementalAlterConfigsResponse = ResponseOf<typeof incrementalAlterConfigsApi>;
export type IncrementalAlterConfigsRequestInput = RequestInputOf<typeof incrementalAlterConfigsApi>;
export type IncrementalAlterConfigsResponseInput = ResponseInputOf<typeof incrementalAlterConfigsApi>;
