/**
 * Bulk ingest benchmark of the store: `npm run bench -- store-bulk`
 * (BENCH_STORE_DOCS, default 1000000; BENCH_STORE_ROUNDS, default 1).
 *
 * Generates ~250-byte log documents with a `message` text field, sends them to a
 * `loglane store` child process as `_bulk` requests of ~5 MB from 2 concurrent clients,
 * and reports docs/s; then loads the same documents into a bare SQLite table with a
 * contentless FTS5 index on `message` (one process, WAL, synchronous=FULL, 10k rows per
 * transaction) and reports the ratio; and bytes on disk per raw JSON byte after `_flush`.
 * Rounds alternate store and baseline; medians are printed. BENCH_STORE_PROFILE=<dir>
 * runs the store with `--cpu-prof` (one profile per thread: HTTP and engine).
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startCli } from '../test/helpers/cli.ts';

const DOCS = Number(process.env.BENCH_STORE_DOCS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 1);
const REQUEST_BYTES = 5 * 1024 * 1024;
const CLIENTS = 2;
const PROFILE_DIR = process.env.BENCH_STORE_PROFILE;

function makeDocuments(count: number): string[] {
  const levels = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];
  const services = ['checkout', 'payments', 'search', 'auth', 'catalog', 'shipping'];
  const words = ['connection', 'refused', 'timeout', 'user', 'cart', 'order', 'completed', 'failed', 'retry', 'upstream', 'cache', 'miss', 'database', 'slow'];
  const out = new Array<string>(count);
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const start = Date.UTC(2024, 4, 1);
  for (let i = 0; i < count; i++) {
    const latency = rnd(2000);
    out[i] = JSON.stringify({
      '@timestamp': new Date(start + i * 7).toISOString(),
      level: levels[rnd(levels.length)],
      service: services[rnd(services.length)],
      host: `web-${String(rnd(20)).padStart(2, '0')}`,
      status: [200, 200, 200, 201, 404, 500, 503][rnd(7)],
      latency_ms: latency,
      message: `${rnd(2) ? 'GET' : 'POST'} /api/${words[rnd(words.length)]}/${rnd(100000)} ${words[rnd(words.length)]} ${words[rnd(words.length)]} ${words[rnd(words.length)]} ${words[rnd(words.length)]} in ${latency} ms user=${rnd(1_000_000)} session=${rnd(1 << 30).toString(36)} trace=${rnd(1 << 30).toString(16)}`,
    });
  }
  return out;
}

function bulkBodies(docs: string[], index: string): Buffer[] {
  const bodies: Buffer[] = [];
  const action = `{"index":{"_index":"${index}"}}\n`;
  let parts: string[] = [];
  let size = 0;
  for (const doc of docs) {
    parts.push(action, doc, '\n');
    size += action.length + doc.length + 1;
    if (size >= REQUEST_BYTES) {
      bodies.push(Buffer.from(parts.join('')));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) bodies.push(Buffer.from(parts.join('')));
  return bodies;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function runStore(docs: string[], rawBytes: number): Promise<{ docsPerSecond: number; bytesPerRawByte: number }> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'loglane-store-bench-'));
  try {
    await writeFile(path.join(cwd, 'loglane.yml'), `data_dir: ${path.join(cwd, 'data')}\nadmin:\n  port: 0\nlog:\n  level: warn\nstore:\n  port: 0\n`);
    const proc = startCli(['store'], { cwd, ...(PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] } : {}) });
    const url = `http://127.0.0.1:${(await proc.waitForLine(/elasticsearch\s+127\.0\.0\.1:(\d+)/))[1]}`;
    const bodies = bulkBodies(docs, 'bench');
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
          const json = (await res.json()) as { errors: boolean; items: { index: { status: number } }[] };
          if (json.errors) failed += json.items.filter((i) => i.index.status >= 300).length;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (failed) throw new Error(`${failed} items failed`);
    await fetch(`${url}/bench/_flush`, { method: 'POST' });
    const count = ((await (await fetch(`${url}/bench/_count`)).json()) as { count: number }).count;
    if (count !== docs.length) throw new Error(`count ${count} != ${docs.length}`);
    const bytes = await dirBytes(path.join(cwd, 'data', 'store', 'indices'));
    proc.child.kill('SIGTERM');
    await proc.exited;
    return { docsPerSecond: docs.length / seconds, bytesPerRawByte: bytes / rawBytes };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

async function runBare(docs: string[], rawBytes: number): Promise<{ docsPerSecond: number; bytesPerRawByte: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-bare-bench-'));
  try {
    const db = new DatabaseSync(path.join(dir, 'bare.db'));
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 10000;
      CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
      CREATE VIRTUAL TABLE docs_fts USING fts5(message, content='');`);
    const insert = db.prepare('INSERT INTO docs(id, doc) VALUES (?, ?)');
    const fts = db.prepare('INSERT INTO docs_fts(rowid, message) VALUES (?, ?)');
    const started = performance.now();
    for (let i = 0; i < docs.length; i += 10_000) {
      db.exec('BEGIN');
      for (let j = i; j < Math.min(docs.length, i + 10_000); j++) {
        insert.run(j + 1, docs[j]!);
        fts.run(j + 1, (JSON.parse(docs[j]!) as { message: string }).message);
      }
      db.exec('COMMIT');
    }
    const seconds = (performance.now() - started) / 1000;
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    return { docsPerSecond: docs.length / seconds, bytesPerRawByte: (await dirBytes(dir)) / rawBytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const docs = makeDocuments(DOCS);
const rawBytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
const store: { docsPerSecond: number; bytesPerRawByte: number }[] = [];
const bare: { docsPerSecond: number; bytesPerRawByte: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  store.push(await runStore(docs, rawBytes));
  bare.push(await runBare(docs, rawBytes));
}
const storeRate = median(store.map((s) => s.docsPerSecond));
const bareRate = median(bare.map((s) => s.docsPerSecond));
process.stdout.write(
  `store _bulk: ${DOCS} docs (${Math.round(rawBytes / DOCS)} B avg), ${CLIENTS} clients, 5 MB requests: ${Math.round(storeRate)} docs/s; ` +
    `bare SQLite+FTS5: ${Math.round(bareRate)} docs/s; ratio ${(storeRate / bareRate).toFixed(2)}; ` +
    `disk ${median(store.map((s) => s.bytesPerRawByte)).toFixed(2)} B per raw JSON byte (bare ${median(bare.map((s) => s.bytesPerRawByte)).toFixed(2)})\n`,
);
