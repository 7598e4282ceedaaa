import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * ApiVersions (API key 18): the version range the broker supports per API. Any version
 * is accepted: one above 4 gets a v0 answer with UNSUPPORTED_VERSION (KIP-511), and the
 * response header is always v0, even for the flexible v3+ (see header.ts).
 * Versions 0-4; flexible from v3.
 *
 * <grammar>
 * ApiVersions Request (Version: 0-2) =>
 *
 * ApiVersions Request (Version: 3-4) => client_software_name client_software_version _tagged_fields
 *   client_software_name => COMPACT_STRING
 *   client_software_version => COMPACT_STRING
 *
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *
 * ApiVersions Response (Version: 1-2) => error_code [api_keys] throttle_time_ms
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 *
 * ApiVersions Response (Version: 3-4) => error_code [api_keys] throttle_time_ms _tagged_fields
 *   error_code => INT16
 *   api_keys => api_key min_version max_version _tagged_fields
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 *   [supported_features] (tag 0) => name min_version max_version _tagged_fields
 *     name => COMPACT_STRING
 *     min_version => INT16
 *     max_version => INT16
 *   finalized_features_epoch (tag 1) => INT64
 *   [finalized_features] (tag 2) => name max_version_level min_version_level _tagged_fields
 *     name => COMPACT_STRING
 *     max_version_level => INT16
 *     min_version_level => INT16
 *   zk_migration_ready (tag 3) => BOOLEAN
 * </grammar>
 */
export const apiVersionsApi = defineApi({
  apiKey: 18,
  name: 'ApiVersions',
  versions: '0-4',
  flexibleVersions: '3+',
  request: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+' },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'apiKeys',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'apiKey', type: 'int16', versions: '0+' },
        { name: 'minVersion', type: 'int16', versions: '0+' },
        { name: 'maxVersion', type: 'int16', versions: '0+' },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'supportedFeatures',
      type: 'struct[]',
      versions: '3+',
      tag: 0,
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'minVersion', type: 'int16', versions: '3+' },
        { name: 'maxVersion', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', tag: 1, default: -1 },
    {
      name: 'finalizedFeatures',
      type: 'struct[]',
      versions: '3+',
      tag: 2,
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
        { name: 'minVersionLevel', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', tag: 3, default: false },
  ],
});

export type ApiVersionsRequest = RequestOf<typeof apiVersionsApi>;
export type ApiVersionsResponse = ResponseOf<typeof apiVersionsApi>;
export type ApiVersionsRequestInput = RequestInputOf<typeof apiVersionsApi>;
export type ApiVersionsResponseInput = ResponseInputOf<typeof apiVersionsApi>;
