import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * DescribeGroups (API key 15): state, protocol and members of classic groups.
 * Versions 0-5; flexible from v5.
 *
 * <grammar>
 * DescribeGroups Request (Version: 0-2) => [groups]
 *   groups => STRING
 *
 * DescribeGroups Request (Version: 3-4) => [groups] include_authorized_operations
 *   groups => STRING
 *   include_authorized_operations => BOOLEAN
 *
 * DescribeGroups Request (Version: 5) => [groups] include_authorized_operations _tagged_fields
 *   groups => COMPACT_STRING
 *   include_authorized_operations => BOOLEAN
 *
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 *
 * DescribeGroups Response (Version: 1-2) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 *
 * DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 *     authorized_operations => INT32
 *
 * DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       group_instance_id => NULLABLE_STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 *     authorized_operations => INT32
 *
 * DescribeGroups Response (Version: 5) => throttle_time_ms [groups] _tagged_fields
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations _tagged_fields
 *     error_code => INT16
 *     group_id => COMPACT_STRING
 *     group_state => COMPACT_STRING
 *     protocol_type => COMPACT_STRING
 *     protocol_data => COMPACT_STRING
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment _tagged_fields
 *       member_id => COMPACT_STRING
 *       group_instance_id => COMPACT_NULLABLE_STRING
 *       client_id => COMPACT_STRING
 *       client_host => COMPACT_STRING
 *       member_metadata => COMPACT_BYTES
 *       member_assignment => COMPACT_BYTES
 *     authorized_operations => INT32
 * </grammar>
 */
export const describeGroupsApi = defineApi({
  apiKey: 15,
  name: 'DescribeGroups',
  versions: '0-5',
  flexibleVersions: '5+',
  request: [
    { name: 'groups', type: 'string[]', versions: '0+' },
    { name: 'includeAuthorizedOperations', type: 'bool', versions: '3+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'groups',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'groupState', type: 'string', versions: '0+' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'protocolData', type: 'string', versions: '0+' },
        {
          name: 'members',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'memberId', type: 'string', versions: '0+' },
            { name: 'groupInstanceId', type: 'string', versions: '4+', nullable: '4+', default: null },
            { name: 'clientId', type: 'string', versions: '0+' },
            { name: 'clientHost', type: 'string', versions: '0+' },
            { name: 'memberMetadata', type: 'bytes', versions: '0+' },
            { name: 'memberAssignment', type: 'bytes', versions: '0+' },
          ],
        },
        { name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648 },
      ],
    },
  ],
});

export type DescribeGroupsRequest = RequestOf<typeof describeGroupsApi>;
export type DescribeGroupsResponse = ResponseOf<typeof describeGroupsApi>;
export type DescribeGroupsRequestInput = RequestInputOf<typeof describeGroupsApi>;
export type DescribeGroupsResponseInput = ResponseInputOf<typeof describeGroupsApi>;
