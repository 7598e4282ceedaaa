import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * OffsetDelete (API key 47): deletes a group's committed offsets for partitions the
 * group no longer consumes. Version 0 only; never flexible.
 *
 * <grammar>
 * OffsetDelete Request (Version: 0) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index
 *       partition_index => INT32
 *
 * OffsetDelete Response (Version: 0) => error_code throttle_time_ms [topics]
 *   error_code => INT16
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 * </grammar>
 */
export const offsetDeleteApi = defineApi({
  apiKey: 47,
  name: 'OffsetDelete',
  versions: '0-0',
  flexibleVersions: 'none',
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
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
          fields: [{ name: 'partitionIndex', type: 'int32', versions: '0+' }],
        },
      ],
    },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
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
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
});

export type OffsetDeleteRequest = RequestOf<typeof offsetDeleteApi>;
export type OffsetDeleteResponse = ResponseOf<typeof offsetDeleteApi>;
export type OffsetDeleteRequestInput = RequestInputOf<typeof offsetDeleteApi>;
export type OffsetDeleteResponseInput = ResponseInputOf<typeof offsetDeleteApi>;
