import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ADVERTISED_API_VERSIONS,
  APIS,
  ApiKeys,
  FETCH_MAX_ADVERTISED_VERSION,
  advertisedRange,
  apiByKey,
  apiName,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from '../../../src/broker/protocol/api.ts';
import type { ApiSchema } from '../../../src/broker/protocol/api-schema.ts';
import { ProtocolDecodeError, ProtocolEncodeError } from '../../../src/broker/protocol/errors.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { concatChunks } from '../../../src/broker/protocol/writer.ts';
import { type Variant, sampleBody } from './sample-bodies.ts';

type AnyApi = ApiSchema<unknown, unknown, unknown, unknown>;
const ALL = Object.values(APIS) as AnyApi[];

/** The codec ranges and first flexible versions the brief asks for (Kafka 3.9 JSON). */
const EXPECTED_RANGES: Record<string, [key: number, min: number, max: number, flexible: number | null]> = {
  Produce: [0, 0, 11, 9],
  Fetch: [1, 4, 17, 12],
  ListOffsets: [2, 0, 9, 6],
  Metadata: [3, 0, 12, 9],
  OffsetCommit: [8, 0, 9, 8],
  OffsetFetch: [9, 0, 9, 6],
  FindCoordinator: [10, 0, 6, 3],
  JoinGroup: [11, 0, 9, 6],
  Heartbeat: [12, 0, 4, 4],
  LeaveGroup: [13, 0, 5, 4],
  SyncGroup: [14, 0, 5, 4],
  DescribeGroups: [15, 0, 5, 5],
  ListGroups: [16, 0, 5, 3],
  SaslHandshake: [17, 0, 1, null],
  ApiVersions: [18, 0, 4, 3],
  CreateTopics: [19, 0, 7, 5],
  DeleteTopics: [20, 0, 6, 4],
  DeleteRecords: [21, 0, 2, 2],
  InitProducerId: [22, 0, 5, 2],
  OffsetForLeaderEpoch: [23, 0, 4, 4],
  AddPartitionsToTxn: [24, 0, 3, 3],
  AddOffsetsToTxn: [25, 0, 3, 3],
  EndTxn: [26, 0, 3, 3],
  TxnOffsetCommit: [28, 0, 3, 3],
  DescribeConfigs: [32, 0, 4, 4],
  AlterConfigs: [33, 0, 2, 2],
  SaslAuthenticate: [36, 0, 2, 2],
  CreatePartitions: [37, 0, 3, 2],
  DeleteGroups: [42, 0, 2, 2],
  IncrementalAlterConfigs: [44, 0, 1, 1],
  OffsetDelete: [47, 0, 0, null],
  DescribeCluster: [60, 0, 1, 0],
};

describe('registry', () => {
  test('every API has the expected key, codec range and first flexible version', () => {
    const actual = Object.fromEntries(ALL.map((a) => [a.name, [a.apiKey, a.minVersion, a.maxVersion, a.firstFlexibleVersion]]));
    assert.deepEqual(actual, EXPECTED_RANGES);
    for (const [key, api] of Object.entries(APIS)) assert.equal(api.apiKey, Number(key));
    for (const [name, key] of Object.entries(ApiKeys)) assert.equal(apiByKey(key)?.name, name);
  });

  test('apiByKey and apiName handle unknown keys', () => {
    assert.equal(apiByKey(0)?.name, 'Produce');
    assert.equal(apiByKey(99), undefined);
    assert.equal(apiByKey(-1), undefined);
    assert.equal(apiName(3), 'Metadata');
    assert.equal(apiName(99), 'Unknown(99)');
  });

  test('the advertised table is the reference §1.5 one, inside the codec ranges', () => {
    const table = ADVERTISED_API_VERSIONS.map((r) => `${apiName(r.apiKey)} ${r.minVersion}-${r.maxVersion}`);
    assert.deepEqual(table, [
      'Produce 0-11',
      `Fetch 4-${FETCH_MAX_ADVERTISED_VERSION}`,
      'ListOffsets 1-9',
      'Metadata 0-12',
      'OffsetCommit 2-9',
      'OffsetFetch 1-9',
      'FindCoordinator 0-6',
      'JoinGroup 0-9',
      'Heartbeat 0-4',
      'LeaveGroup 0-5',
      'SyncGroup 0-5',
      'DescribeGroups 0-5',
      'ListGroups 0-5',
      'ApiVersions 0-4',
      'CreateTopics 2-7',
      'DeleteTopics 1-6',
      'DeleteRecords 0-2',
      'InitProducerId 0-5',
      'OffsetForLeaderEpoch 2-4',
      'DescribeConfigs 1-4',
      'AlterConfigs 0-2',
      'CreatePartitions 0-3',
      'DeleteGroups 0-2',
      'IncrementalAlterConfigs 0-1',
      'OffsetDelete 0-0',
      'DescribeCluster 0-1',
    ]);
    assert.equal(FETCH_MAX_ADVERTISED_VERSION, 12);
    for (const r of ADVERTISED_API_VERSIONS) {
      const api = apiByKey(r.apiKey)!;
      assert.ok(api.minVersion <= r.minVersion && r.maxVersion <= api.maxVersion, api.name);
      assert.equal(advertisedRange(r.apiKey), r);
    }
    for (const hidden of [17, 24, 25, 26, 28, 36]) assert.equal(advertisedRange(hidden), undefined, apiName(hidden));
    assert.ok(Object.isFrozen(ADVERTISED_API_VERSIONS) && Object.isFrozen(ADVERTISED_API_VERSIONS[0]));
  });

  test('unknown keys and versions outside the codec range are rejected with protocol errors', () => {
    assert.throws(() => decodeRequest(99 as 0, 0, Buffer.alloc(4)), ProtocolDecodeError);
    assert.throws(() => encodeRequest(99 as 0, 0, {} as never), ProtocolEncodeError);
    assert.throws(
      () => decodeRequest(ApiKeys.Produce, 12, Buffer.alloc(16)),
      (e: unknown) => e instanceof ProtocolDecodeError && /Produce v12 request/.test(e.message),
    );
    assert.throws(() => decodeResponse(ApiKeys.Fetch, 3, Buffer.alloc(16)), ProtocolDecodeError);
    assert.throws(() => encodeResponse(ApiKeys.Fetch, 18, { responses: [] }), ProtocolEncodeError);
  });
});

describe('round trip: every API, every version, requests and responses', () => {
  for (const api of ALL) {
    test(`${api.name} v${api.minVersion}-${api.maxVersion}`, () => {
      for (let v = api.minVersion; v <= api.maxVersion; v++) {
        for (const kind of ['request', 'response'] as const) {
          for (const variant of ['full', 'nulls'] as Variant[]) {
            roundTrip(api, kind, v, variant);
          }
        }
      }
    });
  }
});

function roundTrip(api: AnyApi, kind: 'request' | 'response', v: number, variant: Variant): void {
  const label = `${api.name} v${v} ${kind} (${variant})`;
  const fields = kind === 'request' ? api.spec.request : api.spec.response;
  const { input, expected } = sampleBody(fields, v, variant, api.apiKey * 1000 + v);
  const chunks = kind === 'request' ? encodeRequest(api.apiKey as 0, v, input as never) : encodeResponse(api.apiKey as 0, v, input as never);
  const bytes = concatChunks(chunks);
  // decode from a non-zero offset inside a larger buffer, as the broker does
  const framed = Buffer.concat([Buffer.from([0xaa, 0xbb, 0xcc]), bytes]);
  const decoded = kind === 'request' ? decodeRequest(api.apiKey as 0, v, framed, 3) : decodeResponse(api.apiKey as 0, v, framed, 3);
  assert.deepStrictEqual(decoded, expected, label);
  // the decoder consumes exactly the encoding
  const r = new Reader(bytes);
  if (kind === 'request') api.readRequest(v, r);
  else api.readResponse(v, r);
  assert.equal(r.offset, bytes.length, `${label}: bytes left over`);
  // re-encoding the decoded body gives the same bytes
  const again = concatChunks(kind === 'request' ? api.encodeRequest(v, decoded) : api.encodeResponse(v, decoded));
  assert.ok(again.equals(bytes), `${label}: re-encoding differs`);
}
