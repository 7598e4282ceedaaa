import { ProtocolDecodeError } from './errors.ts';

/** Kafka's default socket.request.max.bytes (100 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 104857600;

export interface FrameDecoderOptions {
  /** Largest frame (size prefix excluded) accepted; larger ones are an error. */
  maxFrameBytes?: number;
  /**
   * Frames this says yes to (given the frame's first two bytes: a request's API key)
   * may be assembled in a buffer the decoder reuses, so they stay valid only until the
   * next `push`. For requests whose handler is done with the bytes before the
   * connection reads on (Produce appends synchronously); every other frame is a buffer
   * of its own that the caller may keep.
   */
  transient?: (leadingInt16: number) => boolean;
  /** Size of the reusable input buffer of `readTarget` (default 64 KiB, as Node's own socket reads). */
  inputBytes?: number;
}

const DEFAULT_INPUT_BYTES = 64 * 1024;

/** Largest frame assembled in the reusable buffer; larger ones get a buffer of their own. */
export const MAX_TRANSIENT_FRAME_BYTES = 4 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/**
 * Splits a TCP byte stream into Kafka frames (int32 size, then that many bytes).
 *
 *   const decoder = new FrameDecoder({ maxFrameBytes });
 *   socket.on('data', (chunk) => { for (const frame of decoder.push(chunk)) handle(frame); });
 *
 * `push` returns the frames completed by the chunk, without their size prefix. A frame
 * that lies inside one chunk is a zero-copy view of it; a frame spread over several
 * chunks is joined once, when its last byte arrives.
 *
 * Assembling a large frame from many chunks allocates a buffer the size of the frame;
 * for a busy producer those short-lived ~1 MB buffers are most of the broker's garbage
 * collection. Frames the `transient` option accepts are assembled in two reusable
 * buffers instead (see the option for the lifetime rule).
 *
 * Reads into buffers the decoder picks (socket-reads.ts) avoid even the socket's own
 * 64 KiB buffer per read, and the copy out of it:
 *
 *   read into decoder.readTarget(), then: for (const frame of decoder.filled(bytesRead)) handle(frame);
 *
 * While no frame is partly read, the target is one reusable input buffer, so frames
 * completed in it are copied out unless they are transient. Once a frame of up to
 * MAX_TRANSIENT_FRAME_BYTES has begun, the target is the rest of that frame's own
 * assembly buffer: the socket's bytes land where the frame is assembled, with no copy.
 *
 * A negative size, or one above `maxFrameBytes`, throws a ProtocolDecodeError (its
 * offset counts bytes since the stream began): the caller must close the connection,
 * since the stream cannot be resynchronised. The decoder then stays failed and every
 * further `push` or `filled` throws the same error. Frames completed earlier in the same
 * chunk are dropped with it; they would have no connection to answer on.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  private readonly sizeBytes = Buffer.alloc(4);
  private sizeFill = 0;
  /** Size of the frame being read, or -1 while reading a size prefix. */
  private expected = -1;
  /** Bytes of the frame being read received so far (in `assembly` or `parts`). */
  private received = 0;
  /** Where the frame being read is assembled: a scratch buffer or one of its own; null while it goes to `parts`. */
  private assembly: Buffer | null = null;
  /** Which scratch buffer `assembly` is, or -1 (a buffer of the frame's own). */
  private assemblyScratch = -1;
  private parts: Buffer[] = [];
  private readonly transient: ((leadingInt16: number) => boolean) | undefined;
  /**
   * Two reusable assembly buffers, grown on demand up to MAX_TRANSIENT_FRAME_BYTES. One
   * push completes at most one assembled frame (only a chunk's first frame can have
   * begun in an earlier chunk), and the chunk that completes it often begins the next
   * one; that next frame goes to the other buffer.
   */
  private readonly scratch: (Buffer | null)[] = [null, null];
  /** The scratch buffer whose frame this push returned (it must not be overwritten), or -1. */
  private lent = -1;
  private readonly inputBytes: number;
  /** The reusable buffer `readTarget` hands out while no frame is partly read. */
  private input: Buffer | null = null;
  /** Whether the last `readTarget` was the rest of the frame's assembly buffer (else `input`). */
  private targetInPlace = false;
  private streamOffset = 0;
  private failure: ProtocolDecodeError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 0 || max > 0x7fffffff) {
      throw new RangeError(`maxFrameBytes must be an integer 0..2147483647, not ${max}`);
    }
    this.maxFrameBytes = max;
    this.transient = options.transient;
    this.inputBytes = options.inputBytes ?? DEFAULT_INPUT_BYTES;
  }

  /** Bytes received but not yet returned in a frame (a partial size prefix or frame). */
  get bufferedBytes(): number {
    return this.sizeFill + this.received;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.failure !== null) throw this.failure;
    return this.consume(chunk, false);
  }

  /**
   * The buffer the next socket read should fill (from its start, at most its length);
   * pass the number of bytes read to `filled`. Never throws: after a failure it returns
   * the input buffer, and `filled` throws.
   */
  readTarget(): Buffer {
    if (this.assembly !== null && this.failure === null) {
      this.targetInPlace = true;
      return this.assembly.subarray(this.received, this.expected);
    }
    this.targetInPlace = false;
    this.input ??= Buffer.allocUnsafeSlow(this.inputBytes);
    return this.input;
  }

  /** `length` bytes were read into the last `readTarget()`; returns the frames they completed. */
  filled(length: number): Buffer[] {
    if (this.failure !== null) throw this.failure;
    if (!this.targetInPlace) return this.consume(this.readTarget().subarray(0, length), true);
    this.lent = -1;
    this.received += length;
    this.streamOffset += length;
    return this.received < this.expected ? [] : [this.completeAssembly()];
  }

  /** `reused`: the chunk's memory is read into again, so frames handed out must not be views of it (transient ones aside). */
  private consume(chunk: Buffer, reused: boolean): Buffer[] {
    const frames: Buffer[] = [];
    const length = chunk.length;
    this.lent = -1;
    let pos = 0;
    while (pos < length) {
      if (this.expected < 0) {
        let size: number;
        if (this.sizeFill === 0 && length - pos >= 4) {
          size = chunk.readInt32BE(pos);
          pos += 4;
        } else {
          const take = Math.min(4 - this.sizeFill, length - pos);
          chunk.copy(this.sizeBytes, this.sizeFill, pos, pos + take);
          this.sizeFill += take;
          pos += take;
          if (this.sizeFill < 4) break;
          this.sizeFill = 0;
          size = this.sizeBytes.readInt32BE(0);
        }
        this.checkSize(size, this.streamOffset + pos - 4);
        if (size === 0) {
          frames.push(EMPTY);
          continue;
        }
        this.expected = size;
      }
      const available = length - pos;
      if (this.received === 0 && available >= this.expected) {
        const view = chunk.subarray(pos, pos + this.expected);
        frames.push(reused && !this.isTransient(chunk, pos, this.expected) ? Buffer.from(view) : view);
        pos += this.expected;
        this.expected = -1;
        continue;
      }
      const take = Math.min(available, this.expected - this.received);
      if (this.received === 0) this.startAssembly(chunk, pos, take, reused);
      if (this.assembly !== null) chunk.copy(this.assembly, this.received, pos, pos + take);
      else this.parts.push(reused ? Buffer.from(chunk.subarray(pos, pos + take)) : chunk.subarray(pos, pos + take));
      this.received += take;
      pos += take;
      if (this.received === this.expected) frames.push(this.completeAssembly());
    }
    this.streamOffset += length;
    return frames;
  }

  private isTransient(chunk: Buffer, pos: number, take: number): boolean {
    return this.transient !== undefined && take >= 2 && this.expected <= MAX_TRANSIENT_FRAME_BYTES && this.transient(chunk.readInt16BE(pos));
  }

  /** Picks where the frame starting at chunk[pos] (`take` bytes of it here) is assembled. */
  private startAssembly(chunk: Buffer, pos: number, take: number, reused: boolean): void {
    if (this.isTransient(chunk, pos, take)) {
      const index = this.lent === 0 ? 1 : 0;
      const current = this.scratch[index];
      if (current === null || current === undefined || current.length < this.expected) {
        let size = 64 * 1024;
        while (size < this.expected) size *= 2;
        this.scratch[index] = Buffer.allocUnsafeSlow(Math.min(size, MAX_TRANSIENT_FRAME_BYTES));
      }
      this.assembly = this.scratch[index]!;
      this.assemblyScratch = index;
    } else if (reused && this.expected <= MAX_TRANSIENT_FRAME_BYTES) {
      // Read in place like a transient frame, but into a buffer the frame keeps.
      this.assembly = Buffer.allocUnsafe(this.expected);
      this.assemblyScratch = -1;
    }
    // Otherwise (larger frames) the parts are kept and joined at the end, so a size
    // prefix alone never makes the decoder allocate up to maxFrameBytes.
  }

  private completeAssembly(): Buffer {
    let frame: Buffer;
    if (this.assembly === null) {
      frame = Buffer.concat(this.parts, this.expected);
      this.parts = [];
    } else {
      frame = this.assembly.subarray(0, this.expected);
      this.lent = this.assemblyScratch;
      this.assembly = null;
      this.assemblyScratch = -1;
    }
    this.received = 0;
    this.expected = -1;
    return frame;
  }

  private checkSize(size: number, at: number): void {
    if (size >= 0 && size <= this.maxFrameBytes) return;
    const detail =
      size < 0
        ? `frame size ${size} is negative`
        : `frame size ${size} exceeds the maximum of ${this.maxFrameBytes} bytes${looksLikeText(size) ? ' (not a Kafka client? the size prefix reads as text)' : ''}`;
    this.failure = new ProtocolDecodeError(detail, at);
    this.parts = [];
    this.received = 0;
    this.assembly = null;
    this.scratch.fill(null);
    throw this.failure;
  }
}

/** An HTTP request ("GET ", "POST") or other printable ASCII where a size prefix should be. */
function looksLikeText(size: number): boolean {
  for (let shift = 24; shift >= 0; shift -= 8) {
    const c = (size >>> shift) & 0xff;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
