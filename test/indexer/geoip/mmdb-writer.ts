/**
 * A small MaxMind DB writer for tests (the format specification, version 2.0): a
 * search tree of the given networks and a data section, with string pointers so the
 * reader's pointer decoding is exercised.
 */
const MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);

export interface MmdbEntry {
  /** `a.b.c.d/n` or an IPv6 CIDR. */
  network: string;
  data: unknown;
}

export interface BuildOptions {
  ipVersion?: 4 | 6;
  recordSize?: 24 | 28 | 32;
  databaseType?: string;
}

type Ref = { node: number } | { data: number } | null;

export function buildMmdb(entries: readonly MmdbEntry[], options: BuildOptions = {}): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const recordSize = options.recordSize ?? 28;
  const nodes: [Ref, Ref][] = [[null, null]];
  const dataValues: unknown[] = [];
  for (const entry of entries) {
    const [address, length] = entry.network.split('/') as [string, string];
    let bits = addressBits(address);
    let prefix = Number(length);
    if (bits.length === 32 && ipVersion === 6) {
      bits = [...new Array<number>(96).fill(0), ...bits];
      prefix += 96;
    }
    dataValues.push(entry.data);
    let node = 0;
    for (let depth = 0; depth < prefix; depth++) {
      const bit = bits[depth]!;
      if (depth === prefix - 1) {
        nodes[node]![bit] = { data: dataValues.length - 1 };
        break;
      }
      const next = nodes[node]![bit];
      if (next !== null && 'node' in next) node = next.node;
      else {
        nodes.push([null, null]);
        nodes[node]![bit] = { node: nodes.length - 1 };
        node = nodes.length - 1;
      }
    }
  }
  // Data section
  const data = new Writer();
  const offsets = dataValues.map((value) => {
    const at = data.bytes.length;
    data.encode(value, true);
    return at;
  });
  const nodeCount = nodes.length;
  const value = (ref: Ref) => (ref === null ? nodeCount : 'node' in ref ? ref.node : nodeCount + 16 + offsets[ref.data]!);
  const nodeBytes = (recordSize * 2) / 8;
  const tree = Buffer.alloc(nodeCount * nodeBytes);
  nodes.forEach(([l, r], i) => {
    const at = i * nodeBytes;
    const left = value(l);
    const right = value(r);
    if (recordSize === 24) {
      tree.writeUIntBE(left, at, 3);
      tree.writeUIntBE(right, at + 3, 3);
    } else if (recordSize === 28) {
      tree.writeUIntBE(left & 0xffffff, at, 3);
      tree[at + 3] = ((left >> 20) & 0xf0) | ((right >> 24) & 0x0f);
      tree.writeUIntBE(right & 0xffffff, at + 4, 3);
    } else {
      tree.writeUInt32BE(left, at);
      tree.writeUInt32BE(right, at + 4);
    }
  });
  const metadata = new Writer();
  metadata.encode(
    {
      node_count: nodeCount,
      record_size: recordSize,
      ip_version: ipVersion,
      database_type: options.databaseType ?? 'Test-City',
      languages: ['en'],
      binary_format_major_version: 2,
      binary_format_minor_version: 0,
      build_epoch: 1_700_000_000n,
      description: { en: 'loglane test database' },
    },
    false,
  );
  return Buffer.concat([tree, Buffer.alloc(16), Buffer.from(data.bytes), MARKER, Buffer.from(metadata.bytes)]);
}

function addressBits(address: string): number[] {
  let bytes: number[];
  if (address.includes(':')) {
    const [head, rest] = address.split('::') as [string, string | undefined];
    const parse = (p: string | undefined) => (p ? p.split(':').map((h) => Number.parseInt(h, 16)) : []);
    const left = parse(head);
    const right = parse(rest);
    const groups = rest === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
    bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  } else {
    bytes = address.split('.').map(Number);
  }
  return bytes.flatMap((b) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1));
}

class Writer {
  readonly bytes: number[] = [];
  readonly #strings = new Map<string, number>();

  control(type: number, size: number): void {
    const first = type <= 7 ? type << 5 : 0;
    const sizeBytes: number[] = [];
    let sizeBits = size;
    if (size >= 65_821) {
      sizeBits = 31;
      const s = size - 65_821;
      sizeBytes.push((s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff);
    } else if (size >= 285) {
      sizeBits = 30;
      const s = size - 285;
      sizeBytes.push((s >> 8) & 0xff, s & 0xff);
    } else if (size >= 29) {
      sizeBits = 29;
      sizeBytes.push(size - 29);
    }
    this.bytes.push(first | sizeBits);
    if (type > 7) this.bytes.push(type - 7);
    this.bytes.push(...sizeBytes);
  }

  encode(value: unknown, pointers: boolean): void {
    if (typeof value === 'string') {
      const seen = this.#strings.get(value);
      if (pointers && seen !== undefined) {
        if (seen < 2048) this.bytes.push(0x20 | (seen >> 8), seen & 0xff);
        else {
          const p = seen - 2048;
          this.bytes.push(0x20 | (1 << 3) | (p >> 16), (p >> 8) & 0xff, p & 0xff);
        }
        return;
      }
      if (pointers && value.length >= 3) this.#strings.set(value, this.bytes.length);
      const utf8 = Buffer.from(value, 'utf8');
      this.control(2, utf8.length);
      this.bytes.push(...utf8);
    } else if (typeof value === 'bigint') {
      const hex = value.toString(16);
      const raw = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
      this.control(9, raw.length);
      this.bytes.push(...raw);
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) {
        const raw: number[] = [];
        for (let v = value; v > 0; v = Math.floor(v / 256)) raw.unshift(v % 256);
        this.control(value < 65_536 ? 5 : 6, raw.length);
        this.bytes.push(...raw);
      } else if (Number.isInteger(value) && value < 0 && value >= -(2 ** 31)) {
        const raw = Buffer.alloc(4);
        raw.writeInt32BE(value);
        this.control(8, 4);
        this.bytes.push(...raw);
      } else {
        const raw = Buffer.alloc(8);
        raw.writeDoubleBE(value);
        this.control(3, 8);
        this.bytes.push(...raw);
      }
    } else if (typeof value === 'boolean') {
      this.control(14, value ? 1 : 0);
    } else if (Array.isArray(value)) {
      this.control(11, value.length);
      for (const item of value) this.encode(item, pointers);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      this.control(7, entries.length);
      for (const [k, v] of entries) {
        this.encode(k, pointers);
        this.encode(v, pointers);
      }
    } else {
      throw new TypeError(`cannot encode ${String(value)}`);
    }
  }
}
