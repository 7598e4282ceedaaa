import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * LeaveGroup (API key 13): members leave a classic group (one member up to v2, a batch
 * with static instance ids from v3). Versions 0-5; flexible from v4.
 *
 * <grammar>
 * LeaveGroup Request (Version: 0-2) => group_id member_id
 *   group_id => STRING
 *   member_id => STRING
 *
 * LeaveGroup Request (Version: 3) => group_id [members]
 *   group_id => STRING
 *   members => member_id group_instance_id
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *
 * LeaveGroup Request (Version: 4) => group_id [members] _tagged_fields
 *   group_id => COMPACT_STRING
 *   members => member_id group_instance_id _tagged_fields
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *
 * LeaveGroup Request (Version: 5) => group_id [members] _tagged_fields
 *   group_id => COMPACT_STRING
 *   members => member_id group_instance_id reason _tagged_fields
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     reason => COMPACT_NULLABLE_STRING
 *
 * LeaveGroup Response (Version: 0) => error_code
 *   error_code => INT16
 *
 * LeaveGroup Response (Version: 1-2) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *
 * LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     error_code => INT16
 *
 * LeaveGroup Response (Version: 4-5) => throttle_time_ms error_code [members] _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code _tagged_fields
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     error_code => INT16
 * </grammar>
 */
export const leaveGroupApi = defineApi({
  apiKey: 13,
  name: 'LeaveGroup',
  versions: '0-5',
  flexibleVersions: '4+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0-2' },
    {
      name: 'members',
      type: 'struct[]',
      versions: '3+',
      fields: [
        { name: 'memberId', type: 'string', versions: '3+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
        { name: 'reason', type: 'string', versions: '5+', nullable: '5+', default: null },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'members',
      type: 'struct[]',
      versions: '3+',
      fields: [
        { name: 'memberId', type: 'string', versions: '3+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+' },
        { name: 'errorCode', type: 'int16', versions: '3+' },
      ],
    },
  ],
});

export type LeaveGroupRequest = RequestOf<typeof leaveGroupApi>;
export type LeaveGroupResponse = ResponseOf<typeof leaveGroupApi>;
export type LeaveGroupRequestInput = RequestInputOf<typeof leaveGroupApi>;
export type LeaveGroupResponseInput = ResponseInputOf<typeof leaveGroupApi>;
