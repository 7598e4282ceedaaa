import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * Heartbeat (API key 12): keeps a classic group member alive; REBALANCE_IN_PROGRESS
 * tells it to rejoin. Versions 0-4; flexible from v4.
 *
 * <grammar>
 * Heartbeat Request (Version: 0-2) => group_id generation_id member_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *
 * Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *
 * Heartbeat Request (Version: 4) => group_id generation_id member_id group_instance_id _tagged_fields
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *
 * Heartbeat Response (Version: 0) => error_code
 *   error_code => INT16
 *
 * Heartbeat Response (Version: 1-3) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *
 * Heartbeat Response (Version: 4) => throttle_time_ms error_code _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 * </grammar>
 */
export const heartbeatApi = defineApi({
  apiKey: 12,
  name: 'Heartbeat',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});

export type HeartbeatRequest = RequestOf<typeof heartbeatApi>;
export type HeartbeatResponse = ResponseOf<typeof heartbeatApi>;
export type HeartbeatRequestInput = RequestInputOf<typeof heartbeatApi>;
export type HeartbeatResponseInput = ResponseInputOf<typeof heartbeatApi>;
