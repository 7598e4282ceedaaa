import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * DeleteRecords (API key 21): moves partitions' log start offsets forward.
 * Versions 0-2; flexible from v2.
 *
 * <grammar>
 * DeleteRecords Request (Version: 0-1) => [topics] timeout_ms
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index offset
 *       partition_index => INT32
 *       offset => INT64
 *   timeout_ms => INT32
 *
 * DeleteRecords Request (Version: 2) => [topics] timeout_ms _tagged_fields
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index offset _tagged_fields
 *       partition_index => INT32
 *       offset => INT64
 *   timeout_ms => INT32
 *
 * DeleteRecords Response (Version: 0-1) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index low_watermark error_code
 *       partition_index => INT32
 *       low_watermark => INT64
 *       error_code => INT16
 *
 * DeleteRecords Response (Version: 2) => throttle_time_ms [topics] _tagged_fields
 *   throttle_time_ms => INT32
 *   topics => name [partitions] _tagged_fields
 *     name => COMPACT_STRING
 *     partitions => partition_index low_watermark error_code _tagged_fields
 *       partition_index => INT32
 *       low_watermark => INT64
 *       error_code => INT16
 * </grammar>
 */
export const deleteRecordsApi = defineApi({
  apiKey: 21,
  name: 'DeleteRecords',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'offset', type: 'int64', versions: '0+' },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'topics',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: 'struct[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'lowWatermark', type: 'int64', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
});

export type DeleteRecordsRequest = RequestOf<typeof deleteRecordsApi>;
export type DeleteRecordsResponse = ResponseOf<typeof deleteRecordsApi>;
export type DeleteRecordsRequestInput = RequestInputOf<typeof deleteRecordsApi>;
export type DeleteRecordsResponseInput = ResponseInputOf<typeof deleteRecordsApi>;
