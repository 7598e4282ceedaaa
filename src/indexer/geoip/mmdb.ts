/**
 * A reader of MaxMind DB files (`.mmdb`: GeoLite2/GeoIP2 City, Country, ASN, and the
 * DB-IP / ip-location-db files in the same format), written from the published format
 * specification (MaxMind DB File Format 2.0). The whole file is read into memory once;
 * lookups walk the binary search tree bit by bit and decode the data record.
 *
 * No database ships with loglane: the user points `database` at a file they obtained.
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);

export interface MmdbMetadata {
  node_count: number;
  record_size: number;
  ip_version: number;
  database_type: string;
  languages?: string[];
  build_epoch?: number | bigint;
  binary_format_major_version: number;
  [key: string]: unknown;
}

export class MmdbFormatError extends Error {
  constructor(reason: string) {
    super(`not a valid MaxMind DB file: ${reason}`);
    this.name = 'MmdbFormatError';
  }
}

export class MmdbReader {
  readonly metadata: MmdbMetadata;
  readonly #buffer: Buffer;
  readonly #nodeCount: number;
  readonly #recordSize: number;
  readonly #nodeBytes: number;
  readonly #dataStart: number;
  readonly #ipv4Start: number;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
    const markerAt = buffer.lastIndexOf(METADATA_MARKER);
    if (markerAt === -1) throw new MmdbFormatError('no metadata marker');
    const metadata = new Decoder(buffer, markerAt + METADATA_MARKER.length).decode(markerAt + METADATA_MARKER.length).value as MmdbMetadata;
    if (metadata === null || typeof metadata !== 'object') throw new MmdbFormatError('metadata is not a map');
    if (metadata.binary_format_major_version !== 2) throw new MmdbFormatError(`unsupported format version ${String(metadata.binary_format_major_version)}`);
    if (![24, 28, 32].includes(metadata.record_size)) throw new MmdbFormatError(`unsupported record size ${String(metadata.record_size)}`);
    this.metadata = metadata;
    this.#nodeCount = Number(metadata.node_count);
    this.#recordSize = metadata.record_size;
    this.#nodeBytes = (this.#recordSize * 2) / 8;
    this.#dataStart = this.#nodeCount * this.#nodeBytes + 16;
    if (this.#dataStart > markerAt) throw new MmdbFormatError('search tree larger than the file');
    // IPv4 addresses live under ::/96 in IPv6 trees.
    let node = 0;
    if (metadata.ip_version === 6) for (let i = 0; i < 96 && node < this.#nodeCount; i++) node = this.#record(node, 0);
    this.#ipv4Start = node;
  }

  static open(file: string): MmdbReader {
    return new MmdbReader(readFileSync(file));
  }

  /** The record for an IP address and the prefix length of its network (IPv4 lengths for IPv4); undefined when absent. */
  lookup(ip: string): { data: unknown; prefixLength: number } | undefined {
    let bits: Uint8Array;
    let node: number;
    if (isIPv4(ip)) {
      bits = Uint8Array.from(ip.split('.').map(Number));
      node = this.#ipv4Start;
    } else if (isIPv6(ip)) {
      if (this.metadata.ip_version !== 6) return undefined;
      bits = ipv6Bytes(ip);
      node = 0;
    } else {
      return undefined;
    }
    const total = bits.length * 8;
    let depth = 0;
    for (; depth < total && node < this.#nodeCount; depth++) {
      const bit = (bits[depth >> 3]! >> (7 - (depth & 7))) & 1;
      node = this.#record(node, bit);
    }
    if (node <= this.#nodeCount) return undefined;
    const offset = node - this.#nodeCount - 16;
    const data = new Decoder(this.#buffer, this.#dataStart).decode(this.#dataStart + offset).value;
    return { data, prefixLength: depth };
  }

  #record(node: number, bit: number): number {
    const b = this.#buffer;
    const at = node * this.#nodeBytes;
    switch (this.#recordSize) {
      case 24: {
        const o = at + bit * 3;
        return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
      }
      case 28:
        if (bit === 0) return ((b[at + 3]! & 0xf0) << 20) | (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
        return ((b[at + 3]! & 0x0f) << 24) | (b[at + 4]! << 16) | (b[at + 5]! << 8) | b[at + 6]!;
      default:
        return b.readUInt32BE(at + bit * 4);
    }
  }
}

function ipv6Bytes(ip: string): Uint8Array {
  let text = ip.split('%')[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4 !== null) text = `${text.slice(0, -v4[0].length)}0:0`;
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part === undefined || part === '' ? [] : part.split(':').map((h) => Number.parseInt(h, 16)));
  const left = parse(head);
  const right = parse(rest);
  const groups = rest === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    groups[6] = (a << 8) | b;
    groups[7] = (c << 8) | d;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = (g >> 8) & 0xff;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** Decoder of the MaxMind DB data section format. */
class Decoder {
  readonly #b: Buffer;
  /** Where pointers are counted from. */
  readonly #base: number;

  constructor(buffer: Buffer, base: number) {
    this.#b = buffer;
    this.#base = base;
  }

  decode(offset: number): { value: unknown; next: number } {
    const b = this.#b;
    if (offset >= b.length) throw new MmdbFormatError(`data offset ${offset} out of range`);
    const control = b[offset++]!;
    let type = control >> 5;
    if (type === 1) {
      const ss = (control >> 3) & 3;
      const v = control & 7;
      let pointer: number;
      if (ss === 0) pointer = (v << 8) | b[offset]!;
      else if (ss === 1) pointer = ((v << 16) | (b[offset]! << 8) | b[offset + 1]!) + 2048;
      else if (ss === 2) pointer = ((v << 24) | (b[offset]! << 16) | (b[offset + 1]! << 8) | b[offset + 2]!) + 526_336;
      else pointer = b.readUInt32BE(offset);
      return { value: this.decode(this.#base + pointer).value, next: offset + ss + 1 };
    }
    if (type === 0) type = 7 + b[offset++]!;
    let size = control & 0x1f;
    if (size === 29) size = 29 + b[offset++]!;
    else if (size === 30) {
      size = 285 + b.readUInt16BE(offset);
      offset += 2;
    } else if (size === 31) {
      size = 65_821 + ((b[offset]! << 16) | (b[offset + 1]! << 8) | b[offset + 2]!);
      offset += 3;
    }
    switch (type) {
      case 2:
        return { value: b.toString('utf8', offset, offset + size), next: offset + size };
      case 3:
        return { value: b.readDoubleBE(offset), next: offset + 8 };
      case 4:
        return { value: b.subarray(offset, offset + size), next: offset + size };
      case 5:
      case 6: {
        let n = 0;
        for (let i = 0; i < size; i++) n = n * 256 + b[offset + i]!;
        return { value: n, next: offset + size };
      }
      case 9:
      case 10: {
        let n = 0n;
        for (let i = 0; i < size; i++) n = (n << 8n) | BigInt(b[offset + i]!);
        return { value: n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n, next: offset + size };
      }
      case 7: {
        const map: Record<string, unknown> = {};
        let at = offset;
        for (let i = 0; i < size; i++) {
          const key = this.decode(at);
          const value = this.decode(key.next);
          map[String(key.value)] = value.value;
          at = value.next;
        }
        return { value: map, next: at };
      }
      case 8: {
        let n = 0;
        for (let i = 0; i < size; i++) n = (n << 8) | b[offset + i]!;
        return { value: size === 4 ? n | 0 : n, next: offset + size };
      }
      case 11: {
        const list: unknown[] = [];
        let at = offset;
        for (let i = 0; i < size; i++) {
          const item = this.decode(at);
          list.push(item.value);
          at = item.next;
        }
        return { value: list, next: at };
      }
      case 14:
        return { value: size !== 0, next: offset };
      case 15:
        return { value: b.readFloatBE(offset), next: offset + 4 };
      default:
        throw new MmdbFormatError(`unknown data type ${type} at offset ${offset - 1}`);
    }
  }
}
