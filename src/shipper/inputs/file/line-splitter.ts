/**
 * Splits file bytes into lines with their byte offsets. A line ends at `\n` (a `\r`
 * before it is removed); a partial last line waits for more bytes. A line over
 * `maxLineBytes` keeps its first `maxLineBytes` bytes and is flagged `truncated`; the rest
 * up to the newline is skipped without being held in memory. UTF-8 text that is not valid
 * UTF-8 is decoded with replacement characters and flagged `invalid_utf8`.
 */
import { isUtf8 } from 'node:buffer';
import type { Line } from '../../multiline.ts';

export type FileEncoding = 'utf-8' | 'utf8' | 'latin1';

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #latin1: boolean;
  /** Bytes of the partial line (a copy), or undefined. */
  #carry: Buffer | undefined;
  #carryStart = 0;
  #skipping = false;
  truncated = 0;
  invalid = 0;

  constructor(maxLineBytes: number, encoding: FileEncoding) {
    this.#maxLineBytes = maxLineBytes;
    this.#latin1 = encoding === 'latin1';
  }

  /** The offset just after the last complete line (where reading resumes if the partial line is dropped). */
  get partialStart(): number | undefined {
    return this.#carry === undefined && !this.#skipping ? undefined : this.#carryStart;
  }

  /** Splits `chunk`, which starts at byte `position` of the file. */
  push(chunk: Buffer, position: number, out: Line[]): void {
    let start = 0;
    const max = this.#maxLineBytes;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.#keep(chunk.subarray(start), position + start);
        return;
      }
      const lineEnd = position + nl + 1;
      if (this.#carry === undefined && !this.#skipping) {
        const bytes = chunk.subarray(start, nl);
        if (bytes.length > max) out.push(this.#line(bytes.subarray(0, max), position + start, lineEnd, true));
        else out.push(this.#line(bytes, position + start, lineEnd, false));
      } else {
        const room = max - (this.#carry?.length ?? 0);
        const head = chunk.subarray(start, nl);
        const tooLong = this.#skipping || head.length > room;
        const bytes = this.#carry === undefined ? head.subarray(0, Math.max(0, room)) : Buffer.concat([this.#carry, head.subarray(0, Math.max(0, room))]);
        out.push(this.#line(bytes, this.#carryStart, lineEnd, tooLong));
        this.#carry = undefined;
        this.#skipping = false;
      }
      start = nl + 1;
    }
  }

  #keep(rest: Buffer, restStart: number): void {
    if (this.#skipping) return;
    if (this.#carry === undefined) this.#carryStart = restStart;
    const have = this.#carry?.length ?? 0;
    const room = this.#maxLineBytes - have;
    if (rest.length > room) {
      this.#carry = Buffer.concat([this.#carry ?? Buffer.alloc(0), rest.subarray(0, room)]);
      this.#skipping = true;
      return;
    }
    this.#carry = this.#carry === undefined ? Buffer.from(rest) : Buffer.concat([this.#carry, rest]);
  }

  #line(bytes: Buffer, offset: number, end: number, truncated: boolean): Line {
    let content = bytes;
    if (content.length > 0 && content[content.length - 1] === 13) content = content.subarray(0, content.length - 1);
    let flags: string[] | undefined;
    if (truncated) {
      this.truncated++;
      flags = ['truncated'];
    }
    let text: string;
    if (this.#latin1) text = content.toString('latin1');
    else {
      text = content.toString('utf8');
      // Replacement characters in the text: either real U+FFFD or bytes that are not UTF-8.
      if (text.includes('\uFFFD') && !isUtf8(content)) {
        this.invalid++;
        (flags ??= []).push('invalid_utf8');
      }
    }
    return { text, offset, end, flags };
  }
}
