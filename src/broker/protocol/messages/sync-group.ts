import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * SyncGroup (API key 14): the leader hands in the assignments, every member gets its
 * own. Versions 0-5; flexible from v4.
 *
 * <grammar>
 * SyncGroup Request (Version: 0-2) => group_id generation_id member_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Request (Version: 4) => group_id generation_id member_id group_instance_id [assignments] _tagged_fields
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   assignments => member_id assignment _tagged_fields
 *     member_id => COMPACT_STRING
 *     assignment => COMPACT_BYTES
 *
 * SyncGroup Request (Version: 5) => group_id generation_id member_id group_instance_id protocol_type protocol_name [assignments] _tagged_fields
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 *   assignments => member_id assignment _tagged_fields
 *     member_id => COMPACT_STRING
 *     assignment => COMPACT_BYTES
 *
 * SyncGroup Response (Version: 0) => error_code assignment
 *   error_code => INT16
 *   assignment => BYTES
 *
 * SyncGroup Response (Version: 1-3) => throttle_time_ms error_code assignment
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   assignment => BYTES
 *
 * SyncGroup Response (Version: 4) => throttle_time_ms error_code assignment _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   assignment => COMPACT_BYTES
 *
 * SyncGroup Response (Version: 5) => throttle_time_ms error_code protocol_type protocol_name assignment _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 *   assignment => COMPACT_BYTES
 * </grammar>
 */
export const syncGroupApi = defineApi({
  apiKey: 14,
  name: 'SyncGroup',
  versions: '0-5',
  flexibleVersions: '4+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
    { name: 'protocolType', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'protocolName', type: 'string', versions: '5+', nullable: '5+', default: null },
    {
      name: 'assignments',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'assignment', type: 'bytes', versions: '0+' },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'protocolType', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'protocolName', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'assignment', type: 'bytes', versions: '0+' },
  ],
});

export type SyncGroupRequest = RequestOf<typeof syncGroupApi>;
export type SyncGroupResponse = ResponseOf<typeof syncGroupApi>;
export type SyncGroupRequestInput = RequestInputOf<typeof syncGroupApi>;
export type SyncGroupResponseInput = ResponseInputOf<typeof syncGroupApi>;
