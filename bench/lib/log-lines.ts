/**
 * A deterministic file of log lines for throughput benchmarks: a seeded mix of JSON
 * events, logfmt lines and Apache access-log lines, 150-250 bytes each (about 200 on
 * average, newline included), with timestamps, ids and numbers that vary like real logs.
 * The same seed and size give the same bytes on every machine.
 */
import fs from 'node:fs';

export interface LogFile {
  path: string;
  bytes: number;
  records: number;
}

const LEVELS = ['info', 'info', 'info', 'info', 'debug', 'warn', 'error'];
const SERVICES = ['checkout', 'payments', 'catalog', 'search', 'auth', 'shipping', 'inventory', 'gateway'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const PATHS = ['/api/v1/orders', '/api/v1/cart/items', '/api/v2/search', '/login', '/api/v1/users', '/static/app.js', '/healthz', '/api/v1/payments'];
const STATUSES = [200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 404, 500, 503];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64)', 'curl/8.5.0', 'Go-http-client/1.1', 'okhttp/4.12.0', 'python-requests/2.31'];
const MESSAGES = [
  'order placed',
  'payment authorized by provider',
  'cache miss, loading from database',
  'request completed',
  'upstream timed out, retrying',
  'user session refreshed',
  'inventory reserved for order',
  'slow query detected',
];
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ';

/** mulberry32: a tiny, fast, seeded 32-bit generator. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Template {
  bytes: Buffer;
  /** Where the 24-character ISO timestamp and the 16-hex-digit id start. */
  tsAt: number;
  idAt: number;
}

const TEMPLATES = 65_536;
const HEX = Buffer.from('0123456789abcdef');

/**
 * Writes `targetBytes` (rounded up to a whole line) of log lines to `file`. Lines are
 * copies of 65,536 generated templates, each stamped with a fresh timestamp (rising 0-4
 * ms per line) and a fresh random 64-bit id, so every line is unique and the generator
 * runs at memory speed (~1 s per GiB) instead of string-building speed.
 */
export function writeLogFile(file: string, targetBytes: number, seed = 42): LogFile {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const hex = (digits: number): string => {
    let s = '';
    while (s.length < digits) s += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
    return s.slice(0, digits);
  };
  const pad = (text: string, length: number): string => {
    if (text.length >= length) return text.slice(0, length);
    const start = Math.floor(random() * 64);
    return `${text} ${FILLER.repeat(3).slice(start, start + length - text.length - 1)}`;
  };
  const TS = '2024-05-01T12:00:00.000Z';
  const ID = '0123456789abcdef';

  const template = (): Template => {
    const target = 150 + Math.floor(random() * 101); // 150..250 bytes with the newline
    const kind = random();
    let line: string;
    if (kind < 0.4) {
      const text = `{"ts":"${TS}","level":"${pick(LEVELS)}","service":"${pick(SERVICES)}","host":"web-${String(1 + Math.floor(random() * 32)).padStart(2, '0')}","trace_id":"${ID}","status":${pick(STATUSES)},"duration_ms":${Math.floor(random() * 900)},"msg":"${pick(MESSAGES)}`;
      line = `${pad(text, target - 3)}"}\n`;
    } else if (kind < 0.7) {
      const text = `ts=${TS} level=${pick(LEVELS)} svc=${pick(SERVICES)} req=${ID} user=${Math.floor(random() * 100_000)} path=${pick(PATHS)}/${Math.floor(random() * 1_000_000)} dur_ms=${Math.floor(random() * 900)} msg="${pick(MESSAGES)}`;
      line = `${pad(text, target - 2)}"\n`;
    } else {
      const ip = `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
      const text = `${ip} - - [${TS}] "${pick(METHODS)} ${pick(PATHS)}/${Math.floor(random() * 100_000)}?rid=${ID} HTTP/1.1" ${pick(STATUSES)} ${Math.floor(random() * 50_000)} "-" "${pick(AGENTS)}" rt=${(random() * 2).toFixed(3)} q=${hex(8)}`;
      line = `${pad(text, target - 1)}\n`;
    }
    return { bytes: Buffer.from(line, 'latin1'), tsAt: line.indexOf(TS), idAt: line.indexOf(ID) };
  };
  const templates: Template[] = [];
  while (templates.length < TEMPLATES) {
    const t = template();
    // A short line may cut its text before the id; such a template has nothing to stamp.
    if (t.tsAt >= 0 && t.idAt >= 0 && t.idAt + ID.length < t.bytes.length) templates.push(t);
  }

  let clock = Date.UTC(2024, 4, 1, 12, 0, 0);
  let second = -1;
  let secondPrefix = Buffer.alloc(0); // "2024-05-01T12:00:00." for the current second
  const stamp = (out: Buffer, at: number): void => {
    const s = Math.floor(clock / 1000);
    if (s !== second) {
      second = s;
      secondPrefix = Buffer.from(new Date(s * 1000).toISOString().slice(0, 20), 'latin1');
    }
    out.set(secondPrefix, at);
    const ms = clock % 1000;
    out[at + 20] = 48 + Math.floor(ms / 100);
    out[at + 21] = 48 + (Math.floor(ms / 10) % 10);
    out[at + 22] = 48 + (ms % 10);
  };
  const stampId = (out: Buffer, at: number): void => {
    for (let half = 0; half < 2; half++) {
      let v = Math.floor(random() * 0x1_0000_0000);
      for (let i = 7; i >= 0; i--) {
        out[at + half * 8 + i] = HEX[v & 15]!;
        v >>>= 4;
      }
    }
  };

  const CHUNK = 4 * 1024 * 1024;
  const out = Buffer.allocUnsafe(CHUNK + 512);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let records = 0;
  try {
    while (bytes < targetBytes) {
      let pos = 0;
      while (pos < CHUNK && bytes + pos < targetBytes) {
        const t = templates[Math.floor(random() * TEMPLATES)]!;
        out.set(t.bytes, pos);
        clock += Math.floor(random() * 5);
        stamp(out, pos + t.tsAt);
        stampId(out, pos + t.idAt);
        pos += t.bytes.length;
        records++;
      }
      let done = 0;
      while (done < pos) done += fs.writeSync(fd, out, done, pos - done);
      bytes += pos;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { path: file, bytes, records };
}
