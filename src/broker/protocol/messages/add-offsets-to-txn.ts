import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * AddOffsetsToTxn (API key 25): adds a consumer group's offsets partition to a
 * producer's open transaction. Versions 0-3; flexible from v3.
 *
 * <grammar>
 * AddOffsetsToTxn Request (Version: 0-2) => transactional_id producer_id producer_epoch group_id
 *   transactional_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   group_id => STRING
 *
 * AddOffsetsToTxn Request (Version: 3) => transactional_id producer_id producer_epoch group_id _tagged_fields
 *   transactional_id => COMPACT_STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   group_id => COMPACT_STRING
 *
 * AddOffsetsToTxn Response (Version: 0-2) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *
 * AddOffsetsToTxn Response (Version: 3) => throttle_time_ms error_code _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 * </grammar>
 */
export const addOffsetsToTxnApi = defineApi({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'groupId', type: 'string', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});

export type AddOffsetsToTxnRequest = RequestOf<typeof addOffsetsToTxnApi>;
export type AddOffsetsToTxnResponse = ResponseOf<typeof addOffsetsToTxnApi>;
export type AddOffsetsToTxnRequestInput = RequestInputOf<typeof addOffsetsToTxnApi>;
export type AddOffsetsToTxnResponseInput = ResponseInputOf<typeof addOffsetsToTxnApi>;
