import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADVERTISED_API_VERSIONS } from '../../../src/broker/protocol/api.ts';
import { ProtocolDecodeError } from '../../../src/broker/protocol/errors.ts';
import {
  decodeRequestFrame,
  decodeRequestHeader,
  decodeResponseFrame,
  decodeResponseHeader,
  encodeRequestFrame,
  encodeResponseFrame,
  encodeUnsupportedApiVersionsResponse,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../../../src/broker/protocol/header.ts';
import { concatChunks } from '../../../src/broker/protocol/writer.ts';
import { hex } from './fixture.ts';

describe('header versions', () => {
  test('request header v2 from the first flexible version, including versions above the range', () => {
    const cases: [key: number, version: number, header: 1 | 2][] = [
      [0, 8, 1],
      [0, 9, 2],
      [0, 12, 2],
      [1, 11, 1],
      [1, 12, 2],
      [18, 2, 1],
      [18, 3, 2],
      [18, 99, 2],
      [17, 1, 1],
      [47, 0, 1],
      [60, 0, 2],
      [999, 5, 1],
    ];
    for (const [key, version, header] of cases) assert.equal(requestHeaderVersion(key, version), header, `${key} v${version}`);
  });

  test('response header v1 for flexible versions, but ApiVersions always v0 (KIP-511)', () => {
    const cases: [key: number, version: number, header: 0 | 1][] = [
      [0, 8, 0],
      [0, 9, 1],
      [1, 12, 1],
      [3, 8, 0],
      [18, 0, 0],
      [18, 3, 0],
      [18, 4, 0],
      [60, 0, 1],
      [999, 0, 0],
    ];
    for (const [key, version, header] of cases) assert.equal(responseHeaderVersion(key, version), header, `${key} v${version}`);
  });
});

describe('decodeRequestHeader', () => {
  test('ApiVersions above the max still gets its header tag buffer skipped', () => {
    const frame = hex`
      00 12 00 63         # ApiVersions v99
      00 00 00 09         # correlation_id 9
      ff ff               # client_id: null
      01 00 02 aa bb      # header tag buffer with one (unknown) tagged field
      ee                  # body (not parsed)
    `;
    assert.deepStrictEqual(decodeRequestHeader(frame), {
      apiKey: 18,
      apiVersion: 99,
      correlationId: 9,
      clientId: null,
      headerVersion: 2,
      bodyOffset: 15,
    });
  });

  test('unknown API keys: the v1 fields only', () => {
    const frame = hex`03 e7 00 01 00 00 00 2a 00 01 "x" 01 02 03`;
    assert.deepStrictEqual(decodeRequestHeader(frame), {
      apiKey: 999,
      apiVersion: 1,
      correlationId: 42,
      clientId: 'x',
      headerVersion: 1,
      bodyOffset: 11,
    });
    assert.throws(() => decodeRequestFrame(frame), ProtocolDecodeError);
  });

  test('truncated headers throw ProtocolDecodeError naming the field', () => {
    const cases: [Buffer, string][] = [
      [hex``, 'int16 needs 2 bytes, only 0 left at byte 0 in request header field requestApiKey'],
      [hex`00 12 00`, 'int16 needs 2 bytes, only 1 left at byte 2 in request header field requestApiVersion'],
      [hex`00 12 00 00 00 00`, 'int32 needs 4 bytes, only 2 left at byte 4 in request header field correlationId'],
      [hex`00 12 00 00 00 00 00 01 00 05 "ab"`, 'string length 5 exceeds the 2 bytes left at byte 8 in request header field clientId'],
      [hex`00 12 00 03 00 00 00 01 00 00`, 'tagged field count is truncated (0 bytes, no end marker) at byte 10 in request header field _taggedFields'],
    ];
    for (const [frame, message] of cases) {
      assert.throws(
        () => decodeRequestHeader(frame),
        (e: unknown) => e instanceof ProtocolDecodeError && e.message === message,
        message,
      );
    }
  });
});

describe('frames', () => {
  test('request frames round-trip with header v2', () => {
    const header = { apiKey: 1, apiVersion: 12, correlationId: 77, clientId: 'c' };
    const bytes = concatChunks(encodeRequestFrame(header, { maxWaitMs: 500, minBytes: 1, topics: [] }));
    assert.equal(bytes.readInt32BE(0), bytes.length - 4);
    assert.equal(bytes.subarray(4, 4 + 2 + 2 + 4 + 3 + 1).toString('hex'), '0001000c0000004d000163' + '00');
    const { header: parsed, body } = decodeRequestFrame(bytes.subarray(4));
    assert.deepStrictEqual(parsed, { ...header, headerVersion: 2, bodyOffset: 12 });
    assert.equal((body as { maxWaitMs: number }).maxWaitMs, 500);
  });

  test('response frames: size prefix, header v0/v1 as the version needs', () => {
    const produce = concatChunks(encodeResponseFrame(0, 9, 5, { responses: [], throttleTimeMs: 0 }));
    assert.equal(produce.toString('hex'), '0000000b' + '00000005' + '00' + '01' + '00000000' + '00');
    const produceV8 = concatChunks(encodeResponseFrame(0, 8, 5, { responses: [], throttleTimeMs: 0 }));
    assert.equal(produceV8.toString('hex'), '0000000c' + '00000005' + '00000000' + '00000000');
    const apiVersions = concatChunks(encodeResponseFrame(18, 3, 5, { errorCode: 0, apiKeys: [], throttleTimeMs: 0 }));
    assert.equal(apiVersions.toString('hex'), '0000000c' + '00000005' + '0000' + '01' + '00000000' + '00');
    assert.deepStrictEqual(decodeResponseHeader(0, 9, produce.subarray(4)), { correlationId: 5, bodyOffset: 5 });
    assert.deepStrictEqual(decodeResponseHeader(18, 3, apiVersions.subarray(4)), { correlationId: 5, bodyOffset: 4 });
    assert.equal(decodeResponseFrame(18, 3, apiVersions.subarray(4)).correlationId, 5);
  });

  test('the ApiVersions UNSUPPORTED_VERSION answer is a v0 body with error 35 and the API list', () => {
    const bytes = concatChunks(encodeUnsupportedApiVersionsResponse(7, [{ apiKey: 18, minVersion: 0, maxVersion: 4 }]));
    assert.equal(
      bytes.toString('hex'),
      hex`
        00 00 00 10         # size 16
        00 00 00 07         # correlation_id (header v0)
        00 23               # error_code 35 UNSUPPORTED_VERSION
        00 00 00 01         # api_keys: ARRAY of 1
        00 12 00 00 00 04   #   ApiVersions 0-4
      `.toString('hex'),
    );
    const full = concatChunks(encodeUnsupportedApiVersionsResponse(8));
    const { correlationId, body } = decodeResponseFrame(18, 0, full.subarray(4));
    assert.equal(correlationId, 8);
    const decoded = body as { errorCode: number; apiKeys: unknown[] };
    assert.equal(decoded.errorCode, 35);
    assert.deepStrictEqual(decoded.apiKeys, ADVERTISED_API_VERSIONS.map((r) => ({ ...r })));
  });
});
