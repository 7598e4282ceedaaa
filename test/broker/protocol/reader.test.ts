import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolDecodeError } from '../../../src/broker/protocol/errors.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { hex } from './fixture.ts';

function decodeError(fn: () => unknown, detail: RegExp, offset: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolDecodeError, `expected ProtocolDecodeError, got ${String(e)}`);
    assert.match(e.detail, detail);
    assert.equal(e.offset, offset);
    assert.equal(e.code, 'LOGLANE_ERR_BROKER_FRAME');
    assert.equal(e.retriable, false);
    return true;
  });
}

describe('Reader', () => {
  test('fixed-size integers, big-endian, signed and unsigned', () => {
    const r = new Reader(hex`ff 80 00 ff fe ff ff ff fe ff ff ff ff`);
    assert.equal(r.int8(), -1);
    assert.equal(r.int16(), -32768);
    assert.equal(r.uint16(), 0xfffe);
    assert.equal(r.int32(), -2);
    assert.equal(r.uint32(), 0xffffffff);
    assert.equal(r.remaining, 0);
  });

  test('int64 as a number: negatives, 2^53 and the Long.MAX_VALUE sentinel', () => {
    const r = new Reader(hex`
      ff ff ff ff ff ff ff ff
      00 20 00 00 00 00 00 00
      ff ff ff ff ff ff ff fe
      7f ff ff ff ff ff ff ff
      00 00 01 00 00 00 00 2a`);
    assert.equal(r.int64(), -1);
    assert.equal(r.int64(), 2 ** 53);
    assert.equal(r.int64(), -2);
    assert.equal(r.int64(), 2 ** 63); // precision lost, as documented
    assert.equal(r.int64(), 2 ** 40 + 42);
  });

  test('float64 and booleans (any non-zero byte is true)', () => {
    const buf = Buffer.alloc(11);
    buf.writeDoubleBE(-1.5, 0);
    buf[8] = 0;
    buf[9] = 1;
    buf[10] = 7;
    const r = new Reader(buf);
    assert.equal(r.float64(), -1.5);
    assert.deepEqual([r.bool(), r.bool(), r.bool()], [false, true, true]);
  });

  test('unsigned varints, zig-zag varints and varlongs', () => {
    const r = new Reader(hex`00 7f ac 02 ff ff ff ff 0f  01 02 03 ff ff ff ff 0f fe ff ff ff 0f  01 ff ff ff ff ff ff ff ff ff 01 fe ff ff ff ff ff ff 0f 80 80 80 80 80 80 80 80 80 01`);
    assert.deepEqual([r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint()], [0, 127, 300, 0xffffffff]);
    assert.deepEqual([r.varint(), r.varint(), r.varint(), r.varint(), r.varint()], [-1, 1, -2, -2147483648, 2147483647]);
    assert.equal(r.varlong(), -1);
    assert.equal(r.varlong(), -(2 ** 63)); // Long.MIN_VALUE: u = 2^64-1 rounds, the sign must not flip
    assert.equal(r.varlong(), 2 ** 52 - 1);
    assert.equal(r.varlong(), 2 ** 62);
  });

  test('varint errors: truncated, too long, above 32 bits', () => {
    decodeError(() => new Reader(hex`80 80`).uvarint(), /truncated/, 0);
    decodeError(() => new Reader(hex`00 80 80 80 80 80 01`, 1).uvarint('tag'), /^tag is longer than 5 bytes/, 1);
    decodeError(() => new Reader(hex`ff ff ff ff 1f`).uvarint(), /does not fit in 32 bits/, 0);
    decodeError(() => new Reader(hex`80 80 80 80 80 80 80 80 80 80 01`).varlong(), /longer than 10 bytes/, 0);
  });

  test('strings: classic and compact, null, UTF-8', () => {
    const r = new Reader(hex`00 02 "ab" ff ff 00 00 05 c3 a9 c3 a9 03 "xy" 00 01`);
    assert.equal(r.string(), 'ab');
    assert.equal(r.nullableString(), null);
    assert.equal(r.string(), '');
    assert.equal(r.compactString(), 'éé');
    assert.equal(r.compactNullableString(), 'xy');
    assert.equal(r.compactNullableString(), null);
    assert.equal(r.compactString(), '');
  });

  test('string errors: null where not allowed, negative and overlong lengths', () => {
    decodeError(() => new Reader(hex`ff ff`).string(), /string length -1 \(null is not allowed here\)/, 0);
    decodeError(() => new Reader(hex`ff f0`).nullableString(), /string length -16$/, 0);
    decodeError(() => new Reader(hex`00 05 "abc"`).string(), /string length 5 exceeds the 3 bytes left/, 0);
    decodeError(() => new Reader(hex`00`).compactString(), /null is not allowed/, 0);
    decodeError(() => new Reader(hex`ff ff ff ff 0f`).compactNullableString(), /length 4294967294 exceeds the 0 bytes left/, 0);
  });

  test('bytes are zero-copy views of the input', () => {
    const buf = hex`00 00 00 03 01 02 03 ff ff ff ff 04 0a 0b 0c 00`;
    const r = new Reader(buf);
    const a = r.bytes();
    assert.deepEqual([...a], [1, 2, 3]);
    assert.equal(a.buffer, buf.buffer);
    assert.equal(a.byteOffset, buf.byteOffset + 4);
    assert.equal(r.nullableBytes(), null);
    const c = r.compactBytes();
    assert.deepEqual([...c], [10, 11, 12]);
    buf[12] = 99;
    assert.equal(c[0], 99, 'a view, not a copy');
    assert.equal(r.compactNullableBytes(), null);
  });

  test('records: NULLABLE_BYTES classic, COMPACT_NULLABLE_BYTES flexible, never copied', () => {
    const records = Buffer.alloc(16 * 1024, 7);
    const classic = Buffer.concat([hex`00 00 40 00`, records]);
    const got = new Reader(classic).records(false)!;
    assert.equal(got.length, 16 * 1024);
    assert.equal(got.buffer, classic.buffer);
    assert.equal(new Reader(hex`ff ff ff ff`).records(false), null);
    assert.equal(new Reader(hex`00`).records(true), null);
    assert.deepEqual([...new Reader(hex`03 01 02`).records(true)!], [1, 2]);
  });

  test('bytes errors: negative and overlong lengths', () => {
    decodeError(() => new Reader(hex`ff ff ff ff`).bytes(), /bytes length -1 \(null/, 0);
    decodeError(() => new Reader(hex`ff ff ff f9`).nullableBytes(), /bytes length -7$/, 0);
    decodeError(() => new Reader(hex`7f ff ff ff 00`).bytes(), /bytes length 2147483647 exceeds the 1 bytes left/, 0);
  });

  test('uuid as a canonical lowercase string', () => {
    const r = new Reader(hex`5f 0c 1a 2b 3c 4d 4e 5f 8a 9b ac bd ce df e0 f1`);
    assert.equal(r.uuid(), '5f0c1a2b-3c4d-4e5f-8a9b-acbdcedfe0f1');
    decodeError(() => new Reader(Buffer.alloc(15)).uuid(), /uuid needs 16 bytes, only 15 left/, 0);
  });

  test('array counts: null, negative, and counts larger than the bytes left', () => {
    assert.equal(new Reader(hex`ff ff ff ff`).arrayLength(4, true), -1);
    decodeError(() => new Reader(hex`ff ff ff ff`).arrayLength(4, false), /array length -1 \(null is not allowed here\)/, 0);
    decodeError(() => new Reader(hex`00 ff ff ff f9`, 1).arrayLength(4, true), /^array length -7$/, 1);
    // 2^31-1 elements of at least 4 bytes: rejected before any allocation or loop
    decodeError(() => new Reader(hex`7f ff ff ff 00 00 00 00`).arrayLength(4, false), /array length 2147483647 exceeds the 4 bytes left/, 0);
    decodeError(() => new Reader(hex`00 00 00 02 00 00 00 00`).arrayLength(8, false), /at least 8 per element/, 0);
    assert.equal(new Reader(hex`00 00 00 01 00`).arrayLength(0, false), 1, 'zero-size elements still need one byte each');
    assert.equal(new Reader(hex`00`).compactArrayLength(1, true), -1);
    decodeError(() => new Reader(hex`00`).compactArrayLength(1, false), /compact array is null/, 0);
    assert.equal(new Reader(hex`03 00 00`).compactArrayLength(1, false), 2);
    decodeError(() => new Reader(hex`ff ff ff ff 0f`).compactArrayLength(1, false), /compact array length 4294967294 exceeds/, 0);
  });

  test('reads never pass `end`, and truncation is reported with the offset', () => {
    const buf = hex`00 00 00 01 00 00 00 02`;
    const r = new Reader(buf, 2, 6);
    assert.equal(r.int16(), 1);
    decodeError(() => r.int32(), /int32 needs 4 bytes, only 2 left/, 4);
    decodeError(() => new Reader(buf, 8).int8(), /int8 needs 1 bytes, only 0 left/, 8);
    decodeError(() => new Reader(buf, 0, 9), /outside a buffer/, 0);
  });

  test('skipTaggedFields skips every field and checks sizes', () => {
    const r = new Reader(hex`02 00 02 aa bb 05 00 ee`);
    r.skipTaggedFields();
    assert.equal(r.int8(), -18);
    decodeError(() => new Reader(hex`01 00 05 aa`).skipTaggedFields(), /tagged field needs 5 bytes, only 1 left/, 3);
    decodeError(() => new Reader(hex`7f 00`).skipTaggedFields(), /tagged field count 127 exceeds/, 0);
  });
});
