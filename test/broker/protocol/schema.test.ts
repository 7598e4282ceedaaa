import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchResponse, FetchResponseInput } from '../../../src/broker/protocol/messages/fetch.ts';
import type { MetadataRequest } from '../../../src/broker/protocol/messages/metadata.ts';
import type { ProduceRequest, ProduceResponseInput } from '../../../src/broker/protocol/messages/produce.ts';
import { inVersions, parseVersions } from '../../../src/broker/protocol/schema.ts';

test('version ranges', () => {
  assert.deepEqual(parseVersions('0+'), { min: 0, max: Number.POSITIVE_INFINITY });
  assert.deepEqual(parseVersions('3-6'), { min: 3, max: 6 });
  assert.deepEqual(parseVersions('5'), { min: 5, max: 5 });
  assert.equal(inVersions(parseVersions('none'), 0), false);
  assert.equal(inVersions(parseVersions('3-6'), 2), false);
  assert.equal(inVersions(parseVersions('3-6'), 6), true);
  assert.equal(inVersions(parseVersions('12+'), 99), true);
  for (const bad of ['', '+3', '6-3', '1,2', 'v1']) assert.throws(() => parseVersions(bad), /bad version range/);
});

// Type-level checks: `tsc --noEmit` fails if the derived types stop matching the schemas.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

test('decoded and input types follow the schemas', () => {
  type Partition = ProduceRequest['topicData'][number]['partitionData'][number];
  expectType<Equal<Partition, { index: number; records: Buffer | null }>>(true);
  expectType<Equal<ProduceRequest['transactionalId'], string | null>>(true);
  expectType<Equal<MetadataRequest['topics'], { topicId: string; name: string | null }[] | null>>(true);
  type FetchPartition = FetchResponse['responses'][number]['partitions'][number];
  expectType<Equal<FetchPartition['currentLeader'], { leaderId: number; leaderEpoch: number }>>(true);
  expectType<Equal<FetchPartition['abortedTransactions'], { producerId: number; firstOffset: number }[] | null>>(true);

  // required: present in every version of the struct, untagged, no explicit default
  const produceResponse: ProduceResponseInput = {
    responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5 }] }],
  };
  // @ts-expect-error errorCode is required
  const missing: ProduceResponseInput = { responses: [{ name: 't', partitionResponses: [{ index: 0, baseOffset: 5 }] }] };
  const fetchResponse: FetchResponseInput = {
    responses: [{ partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 1, records: null }] }],
    // tagged: optional; the members of a tagged struct array are required within it
    nodeEndpoints: [{ nodeId: 1, host: 'h', port: 9092 }],
  };
  // @ts-expect-error unknown fields are rejected
  const typo: FetchResponseInput = { responses: [], nodeEndpoint: [] };
  assert.ok(produceResponse && missing && fetchResponse && typo);
});
