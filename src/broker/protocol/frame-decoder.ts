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
}

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
 * A negative size, or one above `maxFrameBytes`, throws a ProtocolDecodeError (its
 * offset counts bytes since the stream began): the caller must close the connection,
 * since the stream cannot be resynchronised. The decoder then stays failed and every
 * further `push` throws the same error. Frames completed earlier in the same chunk are
 * dropped with it; they would have no connection to answer on.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  private readonly sizeBytes = Buffer.alloc(4);
  private sizeFill = 0;
  /** Size of the frame being read, or -1 while reading a size prefix. */
  private expected = -1;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private readonly transient: ((leadingInt16: number) => boolean) | undefined;
  /** The reusable assembly buffer, grown on demand up to MAX_TRANSIENT_FRAME_BYTES. */
  /**
   * Two reusable assembly buffers, grown on demand up to MAX_TRANSIENT_FRAME_BYTES. One
   * push completes at most one assembled frame (only a chunk's first frame can have
   * begun in an earlier chunk), and the chunk that completes it often begins the next
   * one; that next frame goes to the other buffer.
   */
  private readonly scratch: (Buffer | null)[] = [null, null];
  /** The scratch buffer the frame being read is assembled in, or -1 (it goes to `parts`). */
  private assembling = -1;
  /** The scratch buffer whose frame this push returned (it must not be overwritten), or -1. */
  private lent = -1;
  private streamOffset = 0;
  private failure: ProtocolDecodeError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 0 || max > 0x7fffffff) {
      throw new RangeError(`maxFrameBytes must be an integer 0..2147483647, not ${max}`);
    }
    this.maxFrameBytes = max;
    this.transient = options.transient;
  }

  /** Bytes received but not yet returned in a frame (a partial size prefix or frame). */
  get bufferedBytes(): number {
    return this.sizeFill + this.partsBytes;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.failure !== null) throw this.failure;
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
      if (this.partsBytes === 0 && available >= this.expected) {
        frames.push(chunk.subarray(pos, pos + this.expected));
        pos += this.expected;
        this.expected = -1;
        continue;
      }
      const take = Math.min(available, this.expected - this.partsBytes);
      if (this.partsBytes === 0) this.assembling = this.pickScratch(chunk, pos, take);
      if (this.assembling >= 0) chunk.copy(this.scratch[this.assembling]!, this.partsBytes, pos, pos + take);
      else this.parts.push(chunk.subarray(pos, pos + take));
      this.partsBytes += take;
      pos += take;
      if (this.partsBytes === this.expected) {
        if (this.assembling >= 0) {
          frames.push(this.scratch[this.assembling]!.subarray(0, this.expected));
          this.lent = this.assembling;
        } else {
          frames.push(Buffer.concat(this.parts, this.expected));
        }
        this.parts = [];
        this.partsBytes = 0;
        this.expected = -1;
        this.assembling = -1;
      }
    }
    this.streamOffset += length;
    return frames;
  }

  /** The scratch buffer for the frame starting at chunk[pos] (`take` bytes of it here), or -1 for `parts`. */
  private pickScratch(chunk: Buffer, pos: number, take: number): number {
    if (this.transient === undefined || take < 2 || this.expected > MAX_TRANSIENT_FRAME_BYTES) return -1;
    if (!this.transient(chunk.readInt16BE(pos))) return -1;
    const index = this.lent === 0 ? 1 : 0;
    const current = this.scratch[index];
    if (current === null || current === undefined || current.length < this.expected) {
      let size = 64 * 1024;
      while (size < this.expected) size *= 2;
      this.scratch[index] = Buffer.allocUnsafeSlow(Math.min(size, MAX_TRANSIENT_FRAME_BYTES));
    }
    return index;
  }

  private checkSize(size: number, at: number): void {
    if (size >= 0 && size <= this.maxFrameBytes) return;
    const detail =
      size < 0
        ? `frame size ${size} is negative`
        : `frame size ${size} exceeds the maximum of ${this.maxFrameBytes} bytes${looksLikeText(size) ? ' (not a Kafka client? the size prefix reads as text)' : ''}`;
    this.failure = new ProtocolDecodeError(detail, at);
    this.parts = [];
    this.partsBytes = 0;
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
