import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolEncodeError } from '../../../src/broker/protocol/errors.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer, ZERO_COPY_MIN_BYTES, concatChunks } from '../../../src/broker/protocol/writer.ts';
import { hex } from './fixture.ts';

function bytesOf(write: (w: Writer) => void): string {
  const w = new Writer(4);
  write(w);
  return w.toBuffer().toString('hex');
}

describe('Writer', () => {
  test('fixed-size integers and booleans', () => {
    assert.equal(
      bytesOf((w) => {
        w.int8(-1);
        w.int16(-32768);
        w.uint16(65535);
        w.int32(-2);
        w.uint32(0xffffffff);
        w.bool(true);
        w.bool(false);
      }),
      'ff8000fffffffffffeffffffff0100',
    );
  });

  test('int64 from numbers, including negatives and clamped sentinels', () => {
    assert.equal(bytesOf((w) => w.int64(-1)), 'ffffffffffffffff');
    assert.equal(bytesOf((w) => w.int64(2 ** 40 + 42)), '000001000000002a');
    assert.equal(bytesOf((w) => w.int64(-(2 ** 53))), 'ffe0000000000000');
    assert.equal(bytesOf((w) => w.int64(2 ** 60)), '1000000000000000');
    assert.equal(bytesOf((w) => w.int64(2 ** 63)), '7fffffffffffffff', 'a decoded Long.MAX_VALUE encodes back to it');
    assert.equal(bytesOf((w) => w.int64(-(2 ** 63))), '8000000000000000');
  });

  test('varints match Kafka encodings', () => {
    assert.equal(bytesOf((w) => [0, 127, 300, 0xffffffff].forEach((v) => { w.uvarint(v); })), '007fac02ffffffff0f');
    assert.equal(bytesOf((w) => [-1, 1, -2, -2147483648].forEach((v) => { w.varint(v); })), '010203ffffffff0f');
    assert.equal(bytesOf((w) => w.varlong(-1)), '01');
    assert.equal(bytesOf((w) => w.varlong(2 ** 52 - 1)), 'feffffffffffff0f');
    assert.equal(bytesOf((w) => w.varlong(-(2 ** 63))), 'ffffffffffffffffff01');
  });

  test('every primitive round-trips through the Reader', () => {
    const w = new Writer(8);
    const uuid = '5f0c1a2b-3c4d-4e5f-8a9b-acbdcedfe0f1';
    w.float64(3.25);
    w.string('héllo');
    w.nullableString(null);
    w.compactString('');
    w.compactNullableString('日本');
    w.compactNullableString(null);
    w.bytes(Buffer.from([1, 2]));
    w.nullableBytes(null);
    w.compactBytes(new Uint8Array([3]));
    w.compactNullableBytes(null);
    w.records(Buffer.from([9]), false);
    w.records(null, true);
    w.uuid(uuid.toUpperCase());
    w.varlong(-(2 ** 50));
    w.arrayLength(null);
    w.compactArrayLength(3);
    const r = new Reader(w.toBuffer());
    assert.equal(r.float64(), 3.25);
    assert.equal(r.string(), 'héllo');
    assert.equal(r.nullableString(), null);
    assert.equal(r.compactString(), '');
    assert.equal(r.compactNullableString(), '日本');
    assert.equal(r.compactNullableString(), null);
    assert.deepEqual([...r.bytes()], [1, 2]);
    assert.equal(r.nullableBytes(), null);
    assert.deepEqual([...r.compactBytes()], [3]);
    assert.equal(r.compactNullableBytes(), null);
    assert.deepEqual([...r.records(false)!], [9]);
    assert.equal(r.records(true), null);
    assert.equal(r.uuid(), uuid);
    assert.equal(r.varlong(), -(2 ** 50));
    assert.equal(r.arrayLength(1, true), -1);
    assert.equal(r.uvarint(), 4);
    assert.equal(r.remaining, 0);
  });

  test('bad values throw ProtocolEncodeError', () => {
    const bad: [string, (w: Writer) => void][] = [
      ['int8 128', (w) => w.int8(128)],
      ['int16 fraction', (w) => w.int16(1.5)],
      ['int32 2^31', (w) => w.int32(2 ** 31)],
      ['int32 string', (w) => w.int32('1' as unknown as number)],
      ['uint32 -1', (w) => w.uint32(-1)],
      ['int64 fraction', (w) => w.int64(0.5)],
      ['int64 below range', (w) => w.int64(-(2 ** 64))],
      ['uvarint -1', (w) => w.uvarint(-1)],
      ['bool 1', (w) => w.bool(1 as unknown as boolean)],
      ['string null', (w) => w.string(null as unknown as string)],
      ['string too long', (w) => w.string('x'.repeat(32768))],
      ['compact string too long', (w) => w.compactString('é'.repeat(16384))],
      ['bytes string', (w) => w.bytes('ab' as unknown as Buffer)],
      ['uuid malformed', (w) => w.uuid('5f0c1a2b3c4d4e5f8a9bacbdcedfe0f1')],
    ];
    for (const [label, write] of bad) assert.throws(() => write(new Writer()), ProtocolEncodeError, label);
    assert.doesNotThrow(() => new Writer().string('x'.repeat(32767)));
  });

  test('large byte arrays are appended by reference, as their own chunk', () => {
    const records = Buffer.alloc(16 * 1024, 1);
    const w = new Writer();
    w.int32(7);
    w.bytes(records);
    w.int16(9);
    const chunks = w.finish();
    assert.equal(chunks.length, 3);
    assert.equal(chunks[1], records, 'the very same Buffer, not a copy');
    assert.equal(chunks[0]!.toString('hex'), '0000000700004000');
    assert.equal(chunks[2]!.toString('hex'), '0009');
    assert.equal(w.length, 8 + 16 * 1024 + 2);
    const joined = concatChunks(chunks);
    assert.equal(joined.length, w.length);
    assert.ok(joined.subarray(8, 8 + records.length).equals(records));
  });

  test('small byte arrays are copied into the scratch buffer', () => {
    const small = Buffer.alloc(ZERO_COPY_MIN_BYTES - 1, 2);
    const w = new Writer();
    w.raw(small);
    const chunks = w.finish();
    assert.equal(chunks.length, 1);
    assert.notEqual(chunks[0]!.buffer, small.buffer);
  });

  test('growing never loses bytes; reserve() patches a prefix later', () => {
    const w = new Writer(2);
    const size = w.reserve(4);
    for (let i = 0; i < 5000; i++) w.int32(i);
    size.writeInt32BE(w.length - 4);
    const out = w.toBuffer();
    assert.equal(out.length, 4 + 20000);
    assert.equal(out.readInt32BE(0), 20000);
    for (let i = 0; i < 5000; i++) assert.equal(out.readInt32BE(4 + 4 * i), i);
  });

  test('toBuffer of a single chunk does not copy', () => {
    const w = new Writer();
    w.int32(1);
    const chunks = w.finish();
    assert.equal(concatChunks(chunks), chunks[0]);
    assert.equal(hex`00 00 00 01`.equals(chunks[0]!), true);
  });
});
