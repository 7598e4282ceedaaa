import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * EndTxn (API key 26): commits or aborts a producer's transaction.
 * Versions 0-3; flexible from v3.
 *
 * <grammar>
 * EndTxn Request (Version: 0-2) => transactional_id producer_id producer_epoch committed
 *   transactional_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   committed => BOOLEAN
 *
 * EndTxn Request (Version: 3) => transactional_id producer_id producer_epoch committed _tagged_fields
 *   transactional_id => COMPACT_STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   committed => BOOLEAN
 *
 * EndTxn Response (Version: 0-2) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *
 * EndTxn Response (Version: 3) => throttle_time_ms error_code _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 * </grammar>
 */
export const endTxnApi = defineApi({
  apiKey: 26,
  name: 'EndTxn',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'committed', type: 'bool', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});

export type EndTxnRequest = RequestOf<typeof endTxnApi>;
export type EndTxnResponse = ResponseOf<typeof endTxnApi>;
export type EndTxnRequestInput = RequestInputOf<typeof endTxnApi>;
export type EndTxnResponseInput = ResponseInputOf<typeof endTxnApi>;
