/**
 * Search benchmark of the store: `npm run bench -- store-search`
 * (BENCH_SEARCH_DOCS, default "1000000" — a comma list runs several sizes, e.g.
 * "1000000,5000000"; BENCH_SEARCH_RUNS, default 30 timed runs per question).
 *
 * Generates realistic log documents (timestamp, level, service, host, status,
 * latency, a message text), loads them into a `loglane store` child process with
 * `_bulk` over HTTP (2 clients, ~5 MB requests; the index has an explicit logs mapping),
 * and asks four questions over HTTP:
 *   (a) `_count` of a time range (half the data),
 *   (b) `date_histogram` 1h + `terms` on `level` (size 0),
 *   (c) `query_string` `"payment failed" AND service:api` (top 10 by score, total),
 *   (d) the newest 100 hits with `level: ERROR` (sort `@timestamp` desc).
 * Each is compared with the same question answered by a naive full scan in the `sqlite3`
 * command-line tool over a plain table holding the same JSON rows (json_extract / LIKE),
 * timed in the same run. Prints p50/p95/p99 per question and the ratio of p50s.
 *
 * BENCH_SEARCH_KEEP_DIR=<dir> keeps the loaded data (the store's data directory and the
 * naive table, in <dir>/<docs>/) instead of deleting it, and reuses it when a later run
 * finds it complete (a `loaded.json` marker written after loading), so that iterations
 * on the query side skip the load. Delete the directory after changing the write path or
 * the generator: it is reused as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startCli } from '../test/helpers/cli.ts';
import { describeMachine } from './lib/machine.ts';

const SIZES = String(process.env.BENCH_SEARCH_DOCS ?? '1000000')
  .split(',')
  .map(Number);
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 30);
const BASELINE_RUNS = Number(process.env.BENCH_SEARCH_BASELINE_RUNS ?? 5);
const KEEP_DIR = process.env.BENCH_SEARCH_KEEP_DIR;
const REQUEST_BYTES = 5 * 1024 * 1024;
const START = Date.UTC(2024, 4, 1);
const SPACING_MS = 250;

const MAPPING = {
  mappings: {
    properties: {
      '@timestamp': { type: 'date' },
      level: { type: 'keyword' },
      service: { type: 'keyword' },
      host: { type: 'keyword' },
      status: { type: 'integer' },
      latency_ms: { type: 'long' },
      message: { type: 'text' },
    },
  },
};

function* documents(count: number): Generator<string> {
  const levels = ['INFO', 'INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];
  const services = ['api', 'checkout', 'payments', 'search', 'auth', 'catalog', 'shipping', 'web'];
  const words = ['connection', 'refused', 'timeout', 'user', 'cart', 'order', 'completed', 'retry', 'upstream', 'cache', 'miss', 'database', 'slow', 'payment', 'failed'];
  // xorshift32: every bit is usable (a power-of-two LCG's low bits repeat with a short period)
  let seed = 0x9e3779b9 | 0;
  const rnd = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  for (let i = 0; i < count; i++) {
    const latency = rnd(2000);
    const text = rnd(200) === 0 ? 'payment failed for order' : `${words[rnd(words.length)]} ${words[rnd(words.length)]} ${words[rnd(words.length)]}`;
    yield JSON.stringify({
      '@timestamp': new Date(START + i * SPACING_MS).toISOString(),
      level: levels[rnd(levels.length)],
      service: services[rnd(services.length)],
      host: `web-${String(rnd(20)).padStart(2, '0')}`,
      status: [200, 200, 200, 201, 404, 500, 503][rnd(7)],
      latency_ms: latency,
      message: `${rnd(2) ? 'GET' : 'POST'} /api/${words[rnd(words.length)]}/${rnd(100000)} ${text} in ${latency} ms user=${rnd(1_000_000)} trace=${rnd(1 << 30).toString(16)}`,
    });
  }
}

function* bulkBodies(count: number): Generator<Buffer> {
  const action = '{"index":{"_index":"logs"}}\n';
  let parts: string[] = [];
  let size = 0;
  for (const doc of documents(count)) {
    parts.push(action, doc, '\n');
    size += action.length + doc.length + 1;
    if (size >= REQUEST_BYTES) {
      yield Buffer.from(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield Buffer.from(parts.join(''));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Question {
  name: string;
  request: () => Promise<unknown>;
  check: (answer: unknown) => string;
  naive: string;
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<{ times: number[]; last: unknown }> {
  const times: number[] = [];
  let last: unknown;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await fn();
    times.push(performance.now() - started);
  }
  return { times: times.sort((a, b) => a - b), last };
}

async function runSize(count: number): Promise<void> {
  let cwd: string;
  if (KEEP_DIR) {
    cwd = path.resolve(KEEP_DIR, String(count));
    await mkdir(cwd, { recursive: true });
  } else cwd = await mkdtemp(path.join(tmpdir(), 'loglane-search-bench-'));
  const marker = path.join(cwd, 'loaded.json');
  const kept = KEEP_DIR ? ((await readFile(marker, 'utf8').then(JSON.parse, () => null)) as { loadSeconds: number } | null) : null;
  try {
    if (!kept) {
      await rm(path.join(cwd, 'data'), { recursive: true, force: true });
      await rm(path.join(cwd, 'naive.db'), { force: true });
    }
    await writeFile(path.join(cwd, 'loglane.yml'), `data_dir: ${path.join(cwd, 'data')}\nadmin:\n  port: 0\nlog:\n  level: warn\nstore:\n  port: 0\n`);
    const proc = startCli(['store'], { cwd });
    const url = `http://127.0.0.1:${(await proc.waitForLine(/elasticsearch\s+127\.0\.0\.1:(\d+)/, 600_000))[1]}`;
    const call = async (method: string, target: string, body?: unknown) => {
      const res = await fetch(`${url}${target}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await res.json();
      if (res.status !== 200) throw new Error(`${target}: ${res.status} ${JSON.stringify(json)}`);
      return json as Record<string, unknown>;
    };
    const naivePath = path.join(cwd, 'naive.db');
    let loadSeconds: number;
    if (kept) loadSeconds = kept.loadSeconds;
    else {
      await call('PUT', '/logs', MAPPING);
      // load the store over HTTP
      const loadStarted = performance.now();
      const bodies = bulkBodies(count);
      await Promise.all(
        Array.from({ length: 2 }, async () => {
          for (;;) {
            const next = bodies.next();
            if (next.done) return;
            const res = await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: next.value });
            const json = (await res.json()) as { errors: boolean };
            if (json.errors) throw new Error('bulk item failed');
          }
        }),
      );
      await call('POST', '/logs/_refresh');
      await call('POST', '/logs/_flush');
      loadSeconds = (performance.now() - loadStarted) / 1000;
      // the naive table: same rows, one JSON text column
      const db = new DatabaseSync(naivePath);
      db.exec('PRAGMA journal_mode = WAL; CREATE TABLE logs(doc TEXT NOT NULL);');
      const insert = db.prepare('INSERT INTO logs(doc) VALUES (?)');
      db.exec('BEGIN');
      let n = 0;
      for (const doc of documents(count)) {
        insert.run(doc);
        if (++n % 100_000 === 0) {
          db.exec('COMMIT');
          db.exec('BEGIN');
        }
      }
      db.exec('COMMIT');
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      db.close();
      if (KEEP_DIR) await writeFile(marker, JSON.stringify({ loadSeconds }));
    }

    const endMs = START + count * SPACING_MS;
    const from = new Date(START + (endMs - START) * 0.25).toISOString();
    const to = new Date(START + (endMs - START) * 0.75).toISOString();
    const questions: Question[] = [
      {
        name: '(a) count in a time range',
        request: () => call('POST', '/logs/_count', { query: { range: { '@timestamp': { gte: from, lt: to } } } }),
        check: (a) => String((a as { count: number }).count),
        naive: `SELECT count(*) FROM logs WHERE json_extract(doc, '$."@timestamp"') >= '${from}' AND json_extract(doc, '$."@timestamp"') < '${to}';`,
      },
      {
        name: '(b) date_histogram 1h + terms level',
        request: () => call('POST', '/logs/_search', { size: 0, aggs: { t: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { l: { terms: { field: 'level' } } } } } }),
        check: (a) => {
          const buckets = (a as { aggregations: { t: { buckets: { doc_count: number; l: { buckets: unknown[] } }[] } } }).aggregations.t.buckets;
          return `${buckets.length} buckets, ${buckets.reduce((s, b) => s + b.l.buckets.length, 0)} level buckets`;
        },
        naive: `SELECT substr(json_extract(doc, '$."@timestamp"'), 1, 13) AS h, json_extract(doc, '$.level') AS l, count(*) FROM logs GROUP BY h, l;`,
      },
      {
        name: '(c) query_string "payment failed" AND service:api',
        request: () => call('POST', '/logs/_search', { query: { query_string: { query: '"payment failed" AND service:api' } } }),
        check: (a) => String((a as { hits: { total: { value: number } } }).hits.total.value),
        naive: `SELECT count(*) FROM logs WHERE json_extract(doc, '$.message') LIKE '%payment failed%' AND json_extract(doc, '$.service') = 'api';`,
      },
      {
        name: '(d) newest 100 with level ERROR',
        request: () => call('POST', '/logs/_search', { size: 100, sort: [{ '@timestamp': 'desc' }], query: { term: { level: 'ERROR' } } }),
        check: (a) => String((a as { hits: { hits: unknown[] } }).hits.hits.length),
        naive: `SELECT doc FROM logs WHERE json_extract(doc, '$.level') = 'ERROR' ORDER BY json_extract(doc, '$."@timestamp"') DESC LIMIT 100;`,
      },
    ];
    process.stdout.write(`${count} docs: loaded over _bulk in ${loadSeconds.toFixed(1)} s (${Math.round(count / loadSeconds)} docs/s)${kept ? ` (kept from an earlier run in ${cwd})` : ''}\n`);
    for (const q of questions) {
      // warm: the first (b) request has the (level, @timestamp) index built after it
      // answered (on the engine thread, between write batches); the second waits for it
      await q.request();
      await q.request();
      const store = await time(q.request, RUNS);
      const naive = await time(async () => {
        const out = spawnSync('sqlite3', [naivePath, q.naive], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (out.status !== 0) throw new Error(out.stderr);
        return out.stdout;
      }, BASELINE_RUNS);
      const p = (t: number[], x: number) => percentile(t, x).toFixed(1);
      process.stdout.write(
        `${count} ${q.name}: store p50 ${p(store.times, 50)} ms p95 ${p(store.times, 95)} ms p99 ${p(store.times, 99)} ms (${q.check(store.last)}); ` +
          `naive sqlite3 scan p50 ${p(naive.times, 50)} ms; ratio ${(percentile(store.times, 50) / percentile(naive.times, 50)).toFixed(3)}\n`,
      );
    }
    proc.child.kill('SIGTERM');
    await proc.exited;
  } finally {
    if (!KEEP_DIR) await rm(cwd, { recursive: true, force: true });
  }
}

process.stdout.write(`${describeMachine(tmpdir())}\n`);
for (const size of SIZES) await runSize(size);
