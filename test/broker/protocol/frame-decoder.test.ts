import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolDecodeError } from '../../../src/broker/protocol/errors.ts';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, MAX_TRANSIENT_FRAME_BYTES } from '../../../src/broker/protocol/frame-decoder.ts';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

const payloads = [Buffer.from('first frame'), Buffer.alloc(0), Buffer.from([1, 2, 3, 4, 5, 6, 7]), Buffer.alloc(300, 9)];
const stream = Buffer.concat(payloads.map(frame));

function hexes(frames: Buffer[]): string[] {
  return frames.map((f) => f.toString('hex'));
}

describe('FrameDecoder', () => {
  test('frames inside one chunk are zero-copy views of it', () => {
    const chunk = Buffer.from(stream);
    const decoder = new FrameDecoder();
    const frames = decoder.push(chunk);
    assert.deepEqual(hexes(frames), hexes(payloads));
    assert.equal(decoder.bufferedBytes, 0);
    chunk[4] = 0x46; // 'f' -> 'F' in the chunk shows through the frame: a view, not a copy
    assert.equal(frames[0]!.toString(), 'First frame');
  });

  test('every split of the stream into two chunks gives the same frames', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const frames = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      assert.deepEqual(hexes(frames), hexes(payloads), `cut at ${cut}`);
    }
  });

  test('one byte at a time (size prefixes split too)', () => {
    const decoder = new FrameDecoder();
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) {
      frames.push(...decoder.push(stream.subarray(i, i + 1)));
      if (i < 3) assert.equal(decoder.bufferedBytes, i + 1);
    }
    assert.deepEqual(hexes(frames), hexes(payloads));
  });

  test('a frame spread over chunks is joined into its own buffer', () => {
    const data = frame(Buffer.alloc(100, 4));
    const decoder = new FrameDecoder();
    assert.deepEqual(decoder.push(data.subarray(0, 50)), []);
    assert.equal(decoder.bufferedBytes, 46);
    const [joined] = decoder.push(data.subarray(50));
    assert.ok(joined!.equals(Buffer.alloc(100, 4)));
    data.fill(0);
    assert.ok(joined!.equals(Buffer.alloc(100, 4)), 'a copy, independent of the chunks');
  });

  test('transient frames are assembled in one reused buffer; the others get their own', () => {
    // A request frame starts with its API key: 0 (Produce) is transient here, 3 is not.
    const request = (apiKey: number, fill: number, length: number) => {
      const payload = Buffer.alloc(length, fill);
      payload.writeInt16BE(apiKey, 0);
      return frame(payload);
    };
    const decoder = new FrameDecoder({ transient: (apiKey) => apiKey === 0 });
    const assemble = (data: Buffer) => {
      const frames: Buffer[] = [];
      for (let at = 0; at < data.length; at += 700) frames.push(...decoder.push(data.subarray(at, at + 700)));
      assert.equal(frames.length, 1);
      return frames[0]!;
    };
    const first = assemble(request(0, 1, 5000));
    assert.equal(first.readInt16BE(0), 0);
    assert.equal(first.length, 5000);
    assert.ok(first.subarray(2).every((b) => b === 1));
    const second = assemble(request(0, 2, 3000));
    assert.equal(second.buffer, first.buffer, 'the second Produce frame reuses the first one\'s memory');
    assert.ok(second.subarray(2).every((b) => b === 2));
    const other = assemble(request(3, 3, 3000));
    assert.notEqual(other.buffer, first.buffer);
    const third = assemble(request(0, 4, 3000));
    assert.ok(other.subarray(2).every((b) => b === 3), 'a non-transient frame is not overwritten by later ones');
    assert.ok(third.subarray(2).every((b) => b === 4));
    // A frame above the reuse limit gets a buffer of its own.
    const big = new FrameDecoder({ transient: () => true });
    const data = request(0, 5, MAX_TRANSIENT_FRAME_BYTES + 1);
    const [huge] = [...big.push(data.subarray(0, 10)), ...big.push(data.subarray(10))];
    assert.equal(huge!.length, MAX_TRANSIENT_FRAME_BYTES + 1);
    assert.equal(huge!.byteOffset, 0);
    assert.equal(huge!.buffer.byteLength >= huge!.length, true);
    const [after] = [...big.push(request(0, 6, 100).subarray(0, 50)), ...big.push(request(0, 6, 100).subarray(50))];
    assert.notEqual(after!.buffer, huge!.buffer);
  });

  test('a transient frame is never overwritten by a frame that starts in the same chunk', () => {
    const produce = (fill: number) => {
      const payload = Buffer.alloc(2000, fill);
      payload.writeInt16BE(0, 0);
      return frame(payload);
    };
    const data = Buffer.concat([produce(1), produce(2), produce(3)]);
    const decoder = new FrameDecoder({ transient: () => true });
    // Chunks: [0,1000) [1000,3000) [3000,end): the second ends frame 1 and starts frame 2 (both assembled).
    const frames = [...decoder.push(data.subarray(0, 1000)), ...decoder.push(data.subarray(1000, 3000))];
    assert.equal(frames.length, 1);
    assert.ok(frames[0]!.subarray(2).every((b) => b === 1), 'frame 1 intact after frame 2 began');
    const rest = decoder.push(data.subarray(3000, 5000));
    assert.equal(rest.length, 1);
    assert.ok(rest[0]!.subarray(2).every((b) => b === 2));
    assert.notEqual(rest[0]!.buffer, frames[0]!.buffer, 'frame 2 went to the other reusable buffer');
    const last = decoder.push(data.subarray(5000));
    assert.equal(last.length, 1);
    assert.ok(last[0]!.subarray(2).every((b) => b === 3));
    assert.equal(last[0]!.buffer, frames[0]!.buffer, 'frame 3 reuses the first buffer');
  });

  describe('reads into the buffers it picks (readTarget / filled)', () => {
    /** Feeds `data` as a socket would: each read fills at most `readSize` bytes of the decoder's current target. */
    function readAll(decoder: FrameDecoder, data: Buffer, readSize: number, onFrames: (frames: Buffer[], target: Buffer) => void): void {
      let at = 0;
      while (at < data.length) {
        const target = decoder.readTarget();
        const n = Math.min(target.length, readSize, data.length - at);
        data.copy(target, 0, at, at + n);
        at += n;
        onFrames(decoder.filled(n), target);
      }
    }
    const request = (apiKey: number, fill: number, length: number) => {
      const payload = Buffer.alloc(length, fill);
      payload.writeInt16BE(apiKey, 0);
      return payload;
    };
    const mixed = [request(3, 1, 10), request(0, 2, 200_000), Buffer.alloc(0), request(3, 3, 90_000), request(0, 4, 50), request(1, 5, 3)];
    const mixedStream = Buffer.concat(mixed.map(frame));

    test('every read size gives the same frames, and frames outlive the reads after them unless transient', () => {
      for (const readSize of [1, 3, 7, 1000, 65_536, 1 << 20]) {
        const decoder = new FrameDecoder({ transient: (apiKey) => apiKey === 0, inputBytes: 4096 });
        const kept: Buffer[] = [];
        readAll(decoder, mixedStream, readSize, (frames) => {
          for (const f of frames) {
            // A transient frame is checked before the next read, as the broker uses it; the others are kept to the end.
            if (f.length >= 2 && f.readInt16BE(0) === 0) assert.ok(f.equals(mixed[kept.length]!), `transient frame ${kept.length}, reads of ${readSize}`);
            kept.push(f.length >= 2 && f.readInt16BE(0) === 0 ? mixed[kept.length]! : f);
          }
        });
        assert.deepEqual(hexes(kept), hexes(mixed), `reads of ${readSize}`);
        assert.equal(decoder.bufferedBytes, 0);
      }
    });

    test('once a frame has begun, reads land in its assembly buffer: the rest of the frame, no more', () => {
      const decoder = new FrameDecoder({ transient: (apiKey) => apiKey === 0, inputBytes: 1024 });
      const produce = request(0, 7, 100_000);
      const data = Buffer.concat([frame(produce), frame(request(3, 8, 20))]);
      const input = decoder.readTarget();
      assert.equal(input.length, 1024);
      data.copy(input, 0, 0, 1024);
      assert.deepEqual(decoder.filled(1024), []);
      const rest = decoder.readTarget();
      assert.equal(rest.length, 100_000 - 1020, 'exactly the rest of the frame');
      assert.notEqual(rest.buffer, input.buffer);
      data.copy(rest, 0, 1024, 4 + 100_000);
      const [whole] = decoder.filled(rest.length);
      assert.ok(whole!.equals(produce));
      assert.equal(whole!.buffer, rest.buffer, 'assembled where the socket wrote it');
      assert.equal(decoder.readTarget(), input, 'back to the input buffer between frames');
      data.copy(input, 0, 4 + 100_000);
      const [next] = decoder.filled(data.length - 4 - 100_000);
      assert.ok(next!.equals(request(3, 8, 20)));
      assert.notEqual(next!.buffer, input.buffer, 'a non-transient frame is copied out of the input buffer');
    });

    test('frames above the reuse limit are joined from copies, never allocated from the size prefix alone', () => {
      const decoder = new FrameDecoder({ transient: () => true, inputBytes: 64 * 1024 });
      const big = request(0, 9, MAX_TRANSIENT_FRAME_BYTES + 10);
      const target = decoder.readTarget();
      frame(big).copy(target, 0, 0, 100);
      assert.deepEqual(decoder.filled(100), []);
      assert.equal(decoder.readTarget(), target, 'still the input buffer: no buffer of the frame\'s size yet');
      const frames: Buffer[] = [];
      const data = frame(big);
      let at = 100;
      while (at < data.length) {
        const t = decoder.readTarget();
        const n = Math.min(t.length, data.length - at);
        data.copy(t, 0, at, at + n);
        at += n;
        t.fill(0xee, n); // later reads into the same buffer must not show through
        frames.push(...decoder.filled(n));
      }
      decoder.readTarget().fill(0);
      assert.equal(frames.length, 1);
      assert.ok(frames[0]!.equals(big));
    });

    test('a bad size prefix fails filled() like push(); readTarget() still answers', () => {
      const decoder = new FrameDecoder({ maxFrameBytes: 10 });
      const target = decoder.readTarget();
      frame(Buffer.alloc(11)).copy(target);
      assert.throws(() => decoder.filled(15), ProtocolDecodeError);
      assert.ok(decoder.readTarget().length > 0);
      assert.throws(() => decoder.filled(1), ProtocolDecodeError);
    });
  });

  test('a frame of exactly the maximum is accepted, one byte more is an error', () => {
    assert.equal(new FrameDecoder({ maxFrameBytes: 10 }).push(frame(Buffer.alloc(10)))[0]!.length, 10);
    const decoder = new FrameDecoder({ maxFrameBytes: 10 });
    assert.throws(
      () => decoder.push(Buffer.concat([frame(Buffer.alloc(3)), frame(Buffer.alloc(11))])),
      (e: unknown) => e instanceof ProtocolDecodeError && e.offset === 7 && e.message === 'frame size 11 exceeds the maximum of 10 bytes at byte 7',
    );
  });

  test('a negative size is an error, and the decoder stays failed', () => {
    const decoder = new FrameDecoder();
    const first = (() => {
      try {
        decoder.push(Buffer.from([0xff, 0xff]));
        decoder.push(Buffer.from([0xff, 0xf0]));
      } catch (e) {
        return e;
      }
    })();
    assert.ok(first instanceof ProtocolDecodeError);
    assert.equal(first.message, 'frame size -16 is negative at byte 0');
    assert.throws(() => decoder.push(frame(Buffer.from('ok'))), (e: unknown) => e === first);
  });

  test('an HTTP request instead of Kafka says so', () => {
    assert.throws(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n')), /not a Kafka client/);
  });

  test('options are checked; the default maximum is Kafka\'s 100 MiB', () => {
    assert.equal(new FrameDecoder().maxFrameBytes, DEFAULT_MAX_FRAME_BYTES);
    assert.equal(DEFAULT_MAX_FRAME_BYTES, 100 * 1024 * 1024);
    assert.throws(() => new FrameDecoder({ maxFrameBytes: -1 }), RangeError);
    assert.throws(() => new FrameDecoder({ maxFrameBytes: 2 ** 31 }), RangeError);
  });
});
