import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defineApi } from '../../../src/broker/protocol/api-schema.ts';
import { compileStruct } from '../../../src/broker/protocol/codec.ts';
import { ProtocolDecodeError, ProtocolEncodeError } from '../../../src/broker/protocol/errors.ts';
import { concatChunks } from '../../../src/broker/protocol/writer.ts';
import { hex } from './fixture.ts';

const testApi = defineApi({
  apiKey: 1000,
  name: 'Test',
  versions: '0-3',
  flexibleVersions: '2+',
  request: [
    { name: 'id', type: 'int32', versions: '0+' },
    { name: 'label', type: 'string', versions: '1+', nullable: '1+', default: null },
    { name: 'legacy', type: 'int16', versions: '0-1', default: 7 },
    {
      name: 'items',
      type: 'struct[]',
      versions: '0+',
      nullable: '3+',
      fields: [
        { name: 'key', type: 'string', versions: '0+' },
        { name: 'values', type: 'int32[]', versions: '0+' },
        { name: 'note', type: 'string', versions: '2+', nullable: '2+', tag: 0, default: null },
      ],
    },
    { name: 'epoch', type: 'int64', versions: '2+', tag: 1, default: -1 },
    {
      name: 'leader',
      type: 'struct',
      versions: '2+',
      tag: 2,
      fields: [
        { name: 'id', type: 'int32', versions: '2+', default: -1 },
        { name: 'epoch', type: 'int32', versions: '2+', default: -1 },
      ],
    },
  ],
  response: [{ name: 'errorCode', type: 'int16', versions: '0+' }],
});

const encode = (v: number, body: Parameters<typeof testApi.encodeRequest>[1]) => concatChunks(testApi.encodeRequest(v, body)).toString('hex');

function decodeFails(v: number, bytes: Buffer, message: string): void {
  assert.throws(
    () => testApi.decodeRequest(v, bytes),
    (e: unknown) => e instanceof ProtocolDecodeError && e.message === message,
  );
}

describe('schema codec', () => {
  test('fields outside the version are not written, and decode to their defaults', () => {
    const body = { id: 1, label: 'x', legacy: 3, items: [], epoch: 5 };
    assert.equal(encode(0, body), '00000001' + '0003' + '00000000');
    assert.deepStrictEqual(testApi.decodeRequest(0, hex`00 00 00 01 00 03 00 00 00 00`), {
      id: 1,
      label: null,
      legacy: 3,
      items: [],
      epoch: -1,
      leader: { id: -1, epoch: -1 },
    });
    // fields left out of the input are written as their defaults
    assert.equal(encode(1, { id: 2 } as never), '00000002' + 'ffff' + '0007' + '00000000'); // items omitted despite the type
  });

  test('flexible versions: compact encodings, tag buffers, tagged fields only when not default', () => {
    const body = { id: 1, label: 'x', items: [{ key: 'k', values: [5], note: 'n' }], epoch: 9, leader: { id: -1, epoch: -1 } };
    const bytes = hex`
      00 00 00 01                 # id
      02 "x"                      # label: COMPACT_NULLABLE_STRING
      02                          # items: COMPACT_ARRAY of 1
      02 "k"                      #   key
      02 00 00 00 05              #   values: [5]
      01 00 02 02 "n"             #   1 tagged field: tag 0 note, 2 bytes
      01 01 08 00 00 00 00 00 00 00 09   # 1 tagged field: tag 1 epoch; leader equals its default, not sent
    `;
    assert.equal(encode(2, body), bytes.toString('hex'));
    assert.deepStrictEqual(testApi.decodeRequest(2, bytes), { ...body, legacy: 7 });
    // nothing tagged: empty tag buffers
    assert.equal(encode(2, { id: 1, label: null, items: [] }), '00000001' + '00' + '01' + '00');
  });

  test('tagged fields are written in ascending tag order, a struct when it differs from its default', () => {
    const hexOut = encode(2, { id: 0, items: [], leader: { id: 3, epoch: -1 }, epoch: 1 });
    assert.equal(hexOut, '00000000' + '00' + '01' + '02' + '0108' + '0000000000000001' + '0209' + '00000003' + 'ffffffff' + '00');
  });

  test('unknown tags are skipped; known tags are read within their size', () => {
    const decoded = testApi.decodeRequest(
      2,
      hex`00 00 00 07  00  01
          03  05 03 aa bb cc  01 0a 00 00 00 00 00 00 00 09 ff ff  09 00`,
    );
    assert.equal(decoded.id, 7);
    assert.equal(decoded.epoch, 9, 'the 2 extra bytes inside tag 1 are skipped');
    decodeFails(
      2,
      hex`00 00 00 07 00 01 01 01 04 00 00 00 09`,
      'int64 needs 8 bytes, only 4 left at byte 9 in Test v2 request field epoch',
    );
  });

  test('nullability follows the version', () => {
    assert.equal(encode(3, { id: 1, items: null }), '00000001' + '00' + '00' + '00');
    assert.equal(testApi.decodeRequest(3, hex`00 00 00 01 00 00 00`).items, null);
    assert.throws(
      () => testApi.encodeRequest(2, { id: 1, items: null }),
      (e: unknown) => e instanceof ProtocolEncodeError && e.message === 'null is not allowed for this array in Test v2 request field items',
    );
    decodeFails(2, hex`00 00 00 01 00 00 00`, 'compact array is null (null is not allowed here) at byte 5 in Test v2 request field items');
  });

  test('decode errors name the byte, the message and the field path', () => {
    decodeFails(1, hex`00 00 00 01 ff ff 00 07 ff ff ff f9`, 'array length -7 at byte 8 in Test v1 request field items');
    decodeFails(
      0,
      hex`00 00 00 01 00 07 00 00 00 02  00 01 "a" 00 00 00 00  00 01 "b" ff ff ff f9`,
      'array length -7 at byte 20 in Test v0 request field items[1].values',
    );
    decodeFails(0, hex`00 00 00`, 'int32 needs 4 bytes, only 3 left at byte 0 in Test v0 request field id');
    const error = (() => {
      try {
        testApi.decodeRequest(0, hex`00 00 00 01 00 07 00 00 00 01 00 05 "ab" 00 00`);
      } catch (e) {
        return e as ProtocolDecodeError;
      }
    })()!;
    assert.deepEqual(error.path, ['items', '[0]', 'key']);
    assert.equal(error.fieldPath, 'items[0].key');
    assert.equal(error.offset, 10);
    assert.equal(error.messageName, 'Test v0 request');
  });

  test('encode errors name the message and the field path', () => {
    assert.throws(
      () => testApi.encodeRequest(0, { id: 1, items: [{ key: 'a', values: [1, 2.5] }] }),
      (e: unknown) => e instanceof ProtocolEncodeError && e.message === '2.5 is not a valid int32 in Test v0 request field items[0].values[1]',
    );
    assert.throws(
      () => testApi.encodeRequest(0, { id: 1, items: [null as never] }),
      (e: unknown) => e instanceof ProtocolEncodeError && /not a struct .* field items\[0\]$/.test(e.message),
    );
    assert.throws(() => testApi.encodeRequest(0, { id: 1, items: 'no' as never }), /string is not an array/);
  });

  test('each version is compiled once and reused', () => {
    assert.equal(testApi.codec('request', 2), testApi.codec('request', 2));
    assert.notEqual(testApi.codec('request', 2), testApi.codec('request', 1));
  });

  test('schema mistakes are reported when a version is compiled', () => {
    assert.throws(() => compileStruct([{ name: 'x', type: 'int32', versions: '0+', tag: 0 }], 0, false), /not flexible/);
    assert.throws(
      () =>
        compileStruct(
          [
            { name: 'a', type: 'int32', versions: '0+', tag: 0 },
            { name: 'b', type: 'int32', versions: '0+', tag: 0 },
          ],
          0,
          true,
        ),
      /tag 0 is used twice/,
    );
    assert.throws(() => compileStruct([{ name: 'r', type: 'records', versions: '0+' }], 0, false), /must be nullable/);
    assert.throws(() => compileStruct([{ name: 's', type: 'struct', versions: '0+' }], 0, false), /has no fields/);
    assert.throws(() => defineApi({ apiKey: 1, name: 'X', versions: '0+', flexibleVersions: 'none', request: [], response: [] }), /closed/);
    assert.throws(() => defineApi({ apiKey: 1, name: 'X', versions: '0-1', flexibleVersions: '1-2', request: [], response: [] }), /open/);
  });

  test('min bytes per element bound forged array counts (no huge loops)', () => {
    // 1 million elements claimed, each at least 2 (key) + 4 (values) bytes, 4 bytes present
    decodeFails(0, hex`00 00 00 01 00 07 00 0f 42 40 00 00 00 00`, 'array length 1000000 exceeds the 4 bytes left (at least 6 per element) at byte 6 in Test v0 request field items');
  });
});
