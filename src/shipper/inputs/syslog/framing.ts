/**
 * Syslog over TCP (RFC 6587): each frame is either octet-counted (`LEN SP MSG`, the
 * frame starts with a digit) or ends at a newline (non-transparent framing). Frames
 * larger than `maxBytes` and a malformed count are framing errors: the connection is
 * closed after the complete frames before it are delivered.
 */
export type FrameResult = { frames: Buffer[]; error?: string };

export class SyslogFramer {
  readonly #maxBytes: number;
  #buffer: Buffer = Buffer.alloc(0);

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): FrameResult {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Buffer[] = [];
    let buf = this.#buffer;
    for (;;) {
      while (buf.length > 0 && (buf[0] === 10 || buf[0] === 13 || buf[0] === 0)) buf = buf.subarray(1);
      if (buf.length === 0) break;
      if (buf[0]! >= 48 && buf[0]! <= 57) {
        const space = buf.indexOf(32);
        if (space === -1) {
          if (buf.length > 10) return this.#fail(frames, 'octet count without a space after it');
          break;
        }
        const countText = buf.subarray(0, space).toString('latin1');
        if (!/^[1-9]\d{0,9}$/.test(countText)) return this.#fail(frames, `invalid octet count ${JSON.stringify(countText.slice(0, 20))}`);
        const count = Number(countText);
        if (count > this.#maxBytes) return this.#fail(frames, `frame of ${count} bytes is over max_message_bytes (${this.#maxBytes})`);
        if (buf.length < space + 1 + count) break;
        frames.push(buf.subarray(space + 1, space + 1 + count));
        buf = buf.subarray(space + 1 + count);
      } else {
        const nl = buf.indexOf(10);
        if (nl === -1) {
          if (buf.length > this.#maxBytes) return this.#fail(frames, `line of more than max_message_bytes (${this.#maxBytes}) without a newline`);
          break;
        }
        let end = nl;
        if (end > 0 && buf[end - 1] === 13) end--;
        frames.push(buf.subarray(0, end));
        buf = buf.subarray(nl + 1);
      }
    }
    this.#buffer = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return { frames };
  }

  /** What is left when the connection ends (a last line without newline), if any. */
  end(): Buffer | undefined {
    const rest = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    return rest.length > 0 && !(rest[0]! >= 48 && rest[0]! <= 57) ? rest : undefined;
  }

  #fail(frames: Buffer[], error: string): FrameResult {
    this.#buffer = Buffer.alloc(0);
    return { frames, error };
  }
}
