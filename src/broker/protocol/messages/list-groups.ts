import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * ListGroups (API key 16): the groups this broker coordinates, optionally filtered by
 * state (v4+) and type (v5+). Versions 0-5; flexible from v3.
 *
 * <grammar>
 * ListGroups Request (Version: 0-2) =>
 *
 * ListGroups Request (Version: 3) => _tagged_fields
 *
 * ListGroups Request (Version: 4) => [states_filter] _tagged_fields
 *   states_filter => COMPACT_STRING
 *
 * ListGroups Request (Version: 5) => [states_filter] [types_filter] _tagged_fields
 *   states_filter => COMPACT_STRING
 *   types_filter => COMPACT_STRING
 *
 * ListGroups Response (Version: 0) => error_code [groups]
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 *
 * ListGroups Response (Version: 1-2) => throttle_time_ms error_code [groups]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 *
 * ListGroups Response (Version: 3) => throttle_time_ms error_code [groups] _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type _tagged_fields
 *     group_id => COMPACT_STRING
 *     protocol_type => COMPACT_STRING
 *
 * ListGroups Response (Version: 4) => throttle_time_ms error_code [groups] _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type group_state _tagged_fields
 *     group_id => COMPACT_STRING
 *     protocol_type => COMPACT_STRING
 *     group_state => COMPACT_STRING
 *
 * ListGroups Response (Version: 5) => throttle_time_ms error_code [groups] _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type group_state group_type _tagged_fields
 *     group_id => COMPACT_STRING
 *     protocol_type => COMPACT_STRING
 *     group_state => COMPACT_STRING
 *     group_type => COMPACT_STRING
 * </grammar>
 */
export const listGroupsApi = defineApi({
  apiKey: 16,
  name: 'ListGroups',
  versions: '0-5',
  flexibleVersions: '3+',
  request: [
    { name: 'statesFilter', type: 'string[]', versions: '4+' },
    { name: 'typesFilter', type: 'string[]', versions: '5+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'groups',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'groupState', type: 'string', versions: '4+' },
        { name: 'groupType', type: 'string', versions: '5+' },
      ],
    },
  ],
});

export type ListGroupsRequest = RequestOf<typeof listGroupsApi>;
export type ListGroupsResponse = ResponseOf<typeof listGroupsApi>;
export type ListGroupsRequestInput = RequestInputOf<typeof listGroupsApi>;
export type ListGroupsResponseInput = ResponseInputOf<typeof listGroupsApi>;
