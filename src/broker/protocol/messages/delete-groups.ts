import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * DeleteGroups (API key 42): deletes empty consumer groups and their offsets.
 * Versions 0-2; flexible from v2.
 *
 * <grammar>
 * DeleteGroups Request (Version: 0-1) => [groups_names]
 *   groups_names => STRING
 *
 * DeleteGroups Request (Version: 2) => [groups_names] _tagged_fields
 *   groups_names => COMPACT_STRING
 *
 * DeleteGroups Response (Version: 0-1) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => group_id error_code
 *     group_id => STRING
 *     error_code => INT16
 *
 * DeleteGroups Response (Version: 2) => throttle_time_ms [results] _tagged_fields
 *   throttle_time_ms => INT32
 *   results => group_id error_code _tagged_fields
 *     group_id => COMPACT_STRING
 *     error_code => INT16
 * </grammar>
 */
export const deleteGroupsApi = defineApi({
  apiKey: 42,
  name: 'DeleteGroups',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [{ name: 'groupsNames', type: 'string[]', versions: '0+' }],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ],
    },
  ],
});

export type DeleteGroupsRequest = RequestOf<typeof deleteGroupsApi>;
export type DeleteGroupsResponse = ResponseOf<typeof deleteGroupsApi>;
export type DeleteGroupsRequestInput = RequestInputOf<typeof deleteGroupsApi>;
export type DeleteGroupsResponseInput = ResponseInputOf<typeof deleteGroupsApi>;
