import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * DescribeCluster (API key 60): cluster id, controller and brokers (endpointType 1
 * brokers, 2 controllers, v1+). Versions 0-1; flexible in every version.
 *
 * <grammar>
 * DescribeCluster Request (Version: 0) => include_cluster_authorized_operations _tagged_fields
 *   include_cluster_authorized_operations => BOOLEAN
 *
 * DescribeCluster Request (Version: 1) => include_cluster_authorized_operations endpoint_type _tagged_fields
 *   include_cluster_authorized_operations => BOOLEAN
 *   endpoint_type => INT8
 *
 * DescribeCluster Response (Version: 0) => throttle_time_ms error_code error_message cluster_id controller_id [brokers] cluster_authorized_operations _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   cluster_id => COMPACT_STRING
 *   controller_id => INT32
 *   brokers => broker_id host port rack _tagged_fields
 *     broker_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     rack => COMPACT_NULLABLE_STRING
 *   cluster_authorized_operations => INT32
 *
 * DescribeCluster Response (Version: 1) => throttle_time_ms error_code error_message endpoint_type cluster_id controller_id [brokers] cluster_authorized_operations _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   endpoint_type => INT8
 *   cluster_id => COMPACT_STRING
 *   controller_id => INT32
 *   brokers => broker_id host port rack _tagged_fields
 *     broker_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     rack => COMPACT_NULLABLE_STRING
 *   cluster_authorized_operations => INT32
 * </grammar>
 */
export const describeClusterApi = defineApi({
  apiKey: 60,
  name: 'DescribeCluster',
  versions: '0-1',
  flexibleVersions: '0+',
  request: [
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+', default: null },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
    { name: 'clusterId', type: 'string', versions: '0+' },
    { name: 'controllerId', type: 'int32', versions: '0+', default: -1 },
    {
      name: 'brokers',
      type: 'struct[]',
      versions: '0+',
      fields: [
        { name: 'brokerId', type: 'int32', versions: '0+' },
        { name: 'host', type: 'string', versions: '0+' },
        { name: 'port', type: 'int32', versions: '0+' },
        { name: 'rack', type: 'string', versions: '0+', nullable: '0+', default: null },
      ],
    },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
  ],
});

export type DescribeClusterRequest = RequestOf<typeof describeClusterApi>;
export type DescribeClusterResponse = ResponseOf<typeof describeClusterApi>;
export type DescribeClusterRequestInput = RequestInputOf<typeof describeClusterApi>;
export type DescribeClusterResponseInput = ResponseInputOf<typeof describeClusterApi>;
