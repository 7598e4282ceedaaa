import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * InitProducerId (API key 22): hands an idempotent or transactional producer its id and
 * epoch (v3+ can bump the epoch of a known id). Versions 0-5; flexible from v2.
 *
 * <grammar>
 * InitProducerId Request (Version: 0-1) => transactional_id transaction_timeout_ms
 *   transactional_id => NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *
 * InitProducerId Request (Version: 2) => transactional_id transaction_timeout_ms _tagged_fields
 *   transactional_id => COMPACT_NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *
 * InitProducerId Request (Version: 3-5) => transactional_id transaction_timeout_ms producer_id producer_epoch _tagged_fields
 *   transactional_id => COMPACT_NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *   producer_id => INT64
 *   producer_epoch => INT16
 *
 * InitProducerId Response (Version: 0-1) => throttle_time_ms error_code producer_id producer_epoch
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   producer_id => INT64
 *   producer_epoch => INT16
 *
 * InitProducerId Response (Version: 2-5) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   producer_id => INT64
 *   producer_epoch => INT16
 * </grammar>
 */
export const initProducerIdApi = defineApi({
  apiKey: 22,
  name: 'InitProducerId',
  versions: '0-5',
  flexibleVersions: '2+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+', nullable: '0+' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '3+', default: -1 },
    { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+', default: -1 },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
  ],
});

export type InitProducerIdRequest = RequestOf<typeof initProducerIdApi>;
export type InitProducerIdResponse = ResponseOf<typeof initProducerIdApi>;
export type InitProducerIdRequestInput = RequestInputOf<typeof initProducerIdApi>;
export type InitProducerIdResponseInput = ResponseInputOf<typeof initProducerIdApi>;
