import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * FindCoordinator (API key 10): the broker coordinating a group (keyType 0) or a
 * transactional id (keyType 1). One key up to v3, a batch of keys from v4.
 * Versions 0-6; flexible from v3.
 *
 * <grammar>
 * FindCoordinator Request (Version: 0) => key
 *   key => STRING
 *
 * FindCoordinator Request (Version: 1-2) => key key_type
 *   key => STRING
 *   key_type => INT8
 *
 * FindCoordinator Request (Version: 3) => key key_type _tagged_fields
 *   key => COMPACT_STRING
 *   key_type => INT8
 *
 * FindCoordinator Request (Version: 4-6) => key_type [coordinator_keys] _tagged_fields
 *   key_type => INT8
 *   coordinator_keys => COMPACT_STRING
 *
 * FindCoordinator Response (Version: 0) => error_code node_id host port
 *   error_code => INT16
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 *
 * FindCoordinator Response (Version: 1-2) => throttle_time_ms error_code error_message node_id host port
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 *
 * FindCoordinator Response (Version: 3) => throttle_time_ms error_code error_message node_id host port _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   node_id => INT32
 *   host => COMPACT_STRING
 *   port => INT32
 *
 * FindCoordinator Response (Version: 4-6) => throttle_time_ms [coordinators] _tagged_fields
 *   throttle_time_ms => INT32
 *   coordinators => key node_id host port error_code error_message _tagged_fields
 *     key => COMPACT_STRING
 *     node_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 * </grammar>
 */
export const findCoordinatorApi = defineApi({
  apiKey: 10,
  name: 'FindCoordinator',
  versions: '0-6',
  flexibleVersions: '3+',
  request: [
    { name: 'key', type: 'string', versions: '0-3' },
    { name: 'keyType', type: 'int8', versions: '1+', default: 0 },
    { name: 'coordinatorKeys', type: 'string[]', versions: '4+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0-3' },
    { name: 'errorMessage', type: 'string', versions: '1-3', nullable: '1-3' },
    { name: 'nodeId', type: 'int32', versions: '0-3' },
    { name: 'host', type: 'string', versions: '0-3' },
    { name: 'port', type: 'int32', versions: '0-3' },
    {
      name: 'coordinators',
      type: 'struct[]',
      versions: '4+',
      fields: [
        { name: 'key', type: 'string', versions: '4+' },
        { name: 'nodeId', type: 'int32', versions: '4+' },
        { name: 'host', type: 'string', versions: '4+' },
        { name: 'port', type: 'int32', versions: '4+' },
        { name: 'errorCode', type: 'int16', versions: '4+' },
        { name: 'errorMessage', type: 'string', versions: '4+', nullable: '4+' },
      ],
    },
  ],
});

export type FindCoordinatorRequest = RequestOf<typeof findCoordinatorApi>;
export type FindCoordinatorResponse = ResponseOf<typeof findCoordinatorApi>;
export type FindCoordinatorRequestInput = RequestInputOf<typeof findCoordinatorApi>;
export type FindCoordinatorResponseInput = ResponseInputOf<typeof findCoordinatorApi>;
