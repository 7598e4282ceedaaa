import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * DescribeConfigs (API key 32): the configs of topics (resourceType 2) or brokers (4);
 * a null key list means all keys. Versions 0-4 (Kafka 4 removed 0); flexible from v4.
 *
 * <grammar>
 * DescribeConfigs Request (Version: 0) => [resources]
 *   resources => resource_type resource_name [configuration_keys]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configuration_keys (nullable) => STRING
 *
 * DescribeConfigs Request (Version: 1-2) => [resources] include_synonyms
 *   resources => resource_type resource_name [configuration_keys]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configuration_keys (nullable) => STRING
 *   include_synonyms => BOOLEAN
 *
 * DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
 *   resources => resource_type resource_name [configuration_keys]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configuration_keys (nullable) => STRING
 *   include_synonyms => BOOLEAN
 *   include_documentation => BOOLEAN
 *
 * DescribeConfigs Request (Version: 4) => [resources] include_synonyms include_documentation _tagged_fields
 *   resources => resource_type resource_name [configuration_keys] _tagged_fields
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configuration_keys (nullable) => COMPACT_STRING
 *   include_synonyms => BOOLEAN
 *   include_documentation => BOOLEAN
 *
 * DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs]
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value read_only is_default is_sensitive
 *       name => STRING
 *       value => NULLABLE_STRING
 *       read_only => BOOLEAN
 *       is_default => BOOLEAN
 *       is_sensitive => BOOLEAN
 *
 * DescribeConfigs Response (Version: 1-2) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs]
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value read_only config_source is_sensitive [synonyms]
 *       name => STRING
 *       value => NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *       synonyms => name value source
 *         name => STRING
 *         value => NULLABLE_STRING
 *         source => INT8
 *
 * DescribeConfigs Response (Version: 3) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs]
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation
 *       name => STRING
 *       value => NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *       synonyms => name value source
 *         name => STRING
 *         value => NULLABLE_STRING
 *         source => INT8
 *       config_type => INT8
 *       documentation => NULLABLE_STRING
 *
 * DescribeConfigs Response (Version: 4) => throttle_time_ms [results] _tagged_fields
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs] _tagged_fields
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation _tagged_fields
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *       synonyms => name value source _tagged_fields
 *         name => COMPACT_STRING
 *         value => COMPACT_NULLABLE_STRING
 *         source => INT8
 *       config_type => INT8
 *       documentation => COMPACT_NULLABLE_STRING
 * </grammar>
 */
export const describeConfigsApi = defineApi({
  apiKey: 32,
  name: 'DescribeConfigs',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    {
      name: 'resources',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        { name: 'configurationKeys', type: 'string[]', versions: '0+', nullable: '0+' },
      ],
    },
    { name: 'includeSynonyms', type: 'bool', versions: '1+', default: false },
    { name: 'includeDocumentation', type: 'bool', versions: '3+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+' },
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        {
          name: 'configs',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'value', type: 'string', versions: '0+', nullable: '0+' },
            { name: 'readOnly', type: 'bool', versions: '0+' },
            { name: 'isDefault', type: 'bool', versions: '0' },
            { name: 'configSource', type: 'int8', versions: '1+', default: -1 },
            { name: 'isSensitive', type: 'bool', versions: '0+' },
            {
              name: 'synonyms',
              type: 'struct[]',
              versions: '1+',
              fields: [
                { name: 'name', type: 'string', versions: '1+' },
                { name: 'value', type: 'string', versions: '1+', nullable: '0+' },
                { name: 'source', type: 'int8', versions: '1+' },
              ],
            },
            { name: 'configType', type: 'int8', versions: '3+', default: 0 },
            { name: 'documentation', type: 'string', versions: '3+', nullable: '0+' },
          ],
        },
      ],
    },
  ],
});

export type DescribeConfigsRequest = RequestOf<typeof describeConfigsApi>;
export type DescribeConfigsResponse = ResponseOf<typeof describeConfigsApi>;
export type DescribeConfigsRequestInput = RequestInputOf<typeof describeConfigsApi>;
export type DescribeConfigsResponseInput = ResponseInputOf<typeof describeConfigsApi>;
