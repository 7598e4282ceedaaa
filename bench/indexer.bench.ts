/**
 * Indexer throughput: `npm run bench -- indexer`
 * (BENCH_INDEXER_EVENTS, default 1000000; BENCH_INDEXER_ROUNDS, default 3;
 * BENCH_INDEXER_STORE=0 skips the embedded-store runs; BENCH_INDEXER_PROFILE=<dir>
 * runs the loglane indexer with `--cpu-prof` into that folder; BENCH_INDEXER_SHOW=1 prints
 * the start of each run's first `_bulk` request).
 *
 * Events: a seeded 50/50 mix of JSON application events (~190 B) and Apache combined
 * access-log lines (~140 B), pre-produced into one 4-partition topic of a `loglane
 * broker` process. Each run reads the whole topic with a fresh consumer group.
 *
 * What each side does per event (kept equivalent on purpose):
 * - loglane (`loglane index`, its own process): codec plain; `if [message] =~ /^\{/`
 *   → `json` (parse `message` into the event) + `date` (ISO8601 `timestamp` →
 *   `@timestamp`) + `mutate` (convert `latency_ms` to integer, remove `timestamp`);
 *   else → `grok` `%{COMBINEDAPACHELOG}` + `date` (`dd/MMM/yyyy:HH:mm:ss Z`) + `mutate`
 *   (convert `response`, `bytes` to integer, remove `timestamp`); elasticsearch output,
 *   bulk index actions of 1000 events, deterministic ids `<topic>-<partition>-<offset>`,
 *   offsets committed after each acknowledged batch.
 * - rsyslog (Debian `/usr/sbin/rsyslogd -n -f <own config> -i <own pidfile>`, own work
 *   directory, run as this user): `imkafka` (librdkafka consumer, offsets auto-committed
 *   by librdkafka) → if the message starts with `{` → `mmjsonparse` (cookie-less) into
 *   `$!`, else `mmnormalize` with a liblognorm rulebase for the combined format (same
 *   fields as COMBINEDAPACHELOG; response and bytes as numbers; the time stays a string —
 *   rsyslog has no parser for the Apache date), `message` kept → `omelasticsearch`
 *   bulk mode, 1000 events per request (queue.dequeuebatchsize), the `$!` tree as the
 *   document, no `_id` (Elasticsearch chooses). loglane does a little more work
 *   (date conversion, ids, commits after acknowledgement).
 * - (a) both write to the same null `_bulk` endpoint in this process: `GET` requests get
 *   an Elasticsearch-like answer with `x-elastic-product: Elasticsearch`; `POST _bulk`
 *   counts the items (action + source lines) and answers `{"errors":false,"items":[…]}`
 *   with one `{"index":{"status":201}}` per item. The run ends when it has acknowledged
 *   every event. (b) loglane into the embedded store (`loglane store` process); ends when
 *   `_count` reaches the number of events.
 *
 * events/s is measured from the first `_bulk` request to the last acknowledgement (the
 * subject's start-up is excluded); CPU seconds per million events are the subject
 * process's user+system time over the whole run (start-up included), from /proc.
 * Rounds alternate loglane and rsyslog; medians are printed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { startBrokerProcess } from './lib/broker-process.ts';
import { cpuSeconds, machineBusySeconds, type ServerChild, startServer } from './lib/child.ts';
import { generator } from './lib/log-lines.ts';
import { describeMachine } from './lib/machine.ts';
import { envNumber, formatCount, median } from './lib/stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS = envNumber('BENCH_INDEXER_EVENTS', 1_000_000);
const ROUNDS = envNumber('BENCH_INDEXER_ROUNDS', 3);
const WITH_STORE = process.env.BENCH_INDEXER_STORE !== '0';
const PROFILE_DIR = process.env.BENCH_INDEXER_PROFILE;
/** BENCH_INDEXER_SHOW=1 prints the start of each run's first _bulk request (what each side sends). */
const SHOW = process.env.BENCH_INDEXER_SHOW === '1';
/** BENCH_INDEXER_ONLY=loglane skips rsyslog (for profiling iterations); the ratio then is not reported. */
const ONLY = process.env.BENCH_INDEXER_ONLY;
const POLL = envNumber('BENCH_INDEXER_POLL', 2000);
/** The pipeline's `workers` (prepare threads) of the two loglane variants run in each round. */
const VARIANTS = [1, 0] as const;
/** BENCH_INDEXER_NODE_FLAGS: extra node flags for the loglane indexer process (experiments). */
const NODE_FLAGS = (process.env.BENCH_INDEXER_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
const PARTITIONS = 4;
const BULK = 1000;
const TOPIC = 'bench-logs';

// ---- events -------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SERVICES = ['checkout', 'payments', 'catalog', 'search', 'auth', 'shipping'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];
const PATHS = ['/api/v1/orders', '/api/v1/cart/items', '/api/v2/search?q=shoes', '/login', '/static/app.js', '/healthz', '/api/v1/payments/confirm'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'curl/8.5.0', 'Go-http-client/1.1', 'okhttp/4.12.0', 'python-requests/2.31.0'];
const REFERRERS = ['-', 'https://shop.example.com/', 'https://www.google.com/search?q=shop'];
const MESSAGES = ['order placed', 'payment authorized by provider', 'cache miss, loading from database', 'request completed', 'upstream timed out, retrying', 'slow query detected'];

function makeEvents(count: number): string[] {
  const rnd = generator(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const start = Date.UTC(2026, 10, 23, 8, 0, 0);
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const t = new Date(start + i * 3);
    if (i % 2 === 0) {
      out[i] = JSON.stringify({
        timestamp: t.toISOString(),
        level: pick(LEVELS),
        service: pick(SERVICES),
        host: `web-${String(Math.floor(rnd() * 20)).padStart(2, '0')}`,
        trace_id: Math.floor(rnd() * 2 ** 48).toString(16),
        latency_ms: String(Math.floor(rnd() * 2000)),
        message: `${pick(MESSAGES)} for user ${Math.floor(rnd() * 1e6)}`,
      });
    } else {
      const d = `${String(t.getUTCDate()).padStart(2, '0')}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`;
      const ip = `${10 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`;
      out[i] = `${ip} - ${rnd() < 0.2 ? `user${Math.floor(rnd() * 1000)}` : '-'} [${d}] "${rnd() < 0.8 ? 'GET' : 'POST'} ${pick(PATHS)} HTTP/1.1" ${pick([200, 200, 200, 201, 304, 404, 500])} ${Math.floor(rnd() * 50_000)} "${pick(REFERRERS)}" "${pick(AGENTS)}"`;
    }
  }
  return out;
}

// ---- the null _bulk endpoint ---------------------------------------------------------

interface NullEndpoint {
  url: string;
  port: number;
  /** Items acknowledged since the last reset, and when the first request of this run came and the last answer went. */
  state: { items: number; first: number; last: number; requests: number };
  reset(): void;
  waitFor(items: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const ITEM = Buffer.from('{"index":{"status":201,"result":"created"}}');

async function startNullEndpoint(): Promise<NullEndpoint> {
  let shown = false;
  const state = { items: 0, first: 0, last: 0, requests: 0 };
  let waiter: { items: number; resolve: () => void } | undefined;
  const server: Server = createServer((req, res) => {
    const headers = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };
    if (req.method !== 'POST' && req.method !== 'PUT') {
      req.resume();
      res.writeHead(200, headers).end(JSON.stringify({ name: 'null', cluster_name: 'null', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9.11.1', minimum_wire_compatibility_version: '7.17.0', minimum_index_compatibility_version: '7.0.0' }, tagline: 'You Know, for Search' }));
      return;
    }
    if (state.first === 0) state.first = performance.now();
    let lines = 0;
    let lastByte = 10;
    const show = SHOW && state.requests === 0 && !shown;
    shown ||= show;
    let sample = '';
    req.on('data', (chunk: Buffer) => {
      if (show && sample.length < 1500) sample += chunk.toString('utf8', 0, Math.min(chunk.length, 1500));
      let at = chunk.indexOf(10);
      while (at !== -1) {
        lines++;
        at = chunk.indexOf(10, at + 1);
      }
      lastByte = chunk[chunk.length - 1]!;
    });
    req.on('end', () => {
      if (show) process.stdout.write(`  first request's first lines:\n${sample.slice(0, 1500)}\n`);
      if (lastByte !== 10) lines++;
      const items = Math.floor(lines / 2);
      const parts: Buffer[] = [Buffer.from('{"took":1,"errors":false,"items":[')];
      for (let i = 0; i < items; i++) {
        if (i > 0) parts.push(Buffer.from(','));
        parts.push(ITEM);
      }
      parts.push(Buffer.from(']}'));
      res.writeHead(200, headers).end(Buffer.concat(parts));
      state.items += items;
      state.requests++;
      state.last = performance.now();
      if (waiter !== undefined && state.items >= waiter.items) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    reset() {
      Object.assign(state, { items: 0, first: 0, last: 0, requests: 0 });
      shown = false;
    },
    waitFor(items, timeoutMs) {
      if (state.items >= items) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`null endpoint: ${state.items} of ${items} items after ${timeoutMs} ms`)), timeoutMs);
        waiter = {
          items,
          resolve: () => {
            clearTimeout(timer);
            waiter = undefined;
            resolve();
          },
        };
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---- subjects --------------------------------------------------------------------------

interface RunResult {
  eventsPerSecond: number;
  cpuPerMillion: number;
  wallSeconds: number;
}

const PIPELINE_FILTERS = [
  {
    if: '[message] =~ /^\\{/',
    // biome-ignore lint/suspicious/noThenProperty: the pipeline config's if/then/else syntax
    then: [
      { json: { source: 'message' } },
      { date: { match: ['timestamp', 'ISO8601'] } },
      { mutate: { convert: { latency_ms: 'integer' }, remove_field: ['timestamp'] } },
    ],
    else: [
      { grok: { match: { message: '%{COMBINEDAPACHELOG}' } } },
      { date: { match: ['timestamp', 'dd/MMM/yyyy:HH:mm:ss Z'] } },
      { mutate: { convert: { response: 'integer', bytes: 'integer' }, remove_field: ['timestamp'] } },
    ],
  },
];

function writeLoglaneConfig(dir: string, bootstrap: string, esUrl: string, group: string, workers: number): string {
  const file = path.join(dir, `indexer-${group}.yml`);
  const config = {
    data_dir: path.join(dir, `data-${group}`),
    log: { level: 'warn', format: 'json' },
    admin: { port: 0 },
    indexer: {
      kafka: { bootstrap_servers: [bootstrap] },
      elasticsearch: { hosts: [esUrl] },
      pipelines: [
        {
          name: 'bench',
          topics: [TOPIC],
          group_id: group,
          codec: 'plain',
          max_poll_records: POLL,
          workers,
          filters: PIPELINE_FILTERS,
          outputs: [{ elasticsearch: { index: 'bench', batch_max_events: BULK, max_in_flight: 2 } }],
        },
      ],
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

async function runLoglane(dir: string, bootstrap: string, endpoint: NullEndpoint, group: string, workers: number): Promise<RunResult> {
  endpoint.reset();
  const config = writeLoglaneConfig(dir, bootstrap, endpoint.url, group, workers);
  const flags = [...NODE_FLAGS, ...(PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`])];
  const started = performance.now();
  const server = startServer(process.execPath, [...flags, path.join(ROOT, 'src/cli/main.ts'), 'index', '--config', config], { cwd: ROOT });
  try {
    await server.waitFor(/^admin\s/, 60_000);
    await endpoint.waitFor(EVENTS, 30 * 60_000);
    const cpu = cpuSeconds(server.child.pid);
    return { eventsPerSecond: EVENTS / ((endpoint.state.last - endpoint.state.first) / 1000), cpuPerMillion: (cpu / EVENTS) * 1e6, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    await server.stop('SIGTERM');
  }
}

async function runLoglaneIntoStore(dir: string, bootstrap: string, storeUrl: string, group: string): Promise<RunResult> {
  await fetch(`${storeUrl}/bench`, { method: 'DELETE' });
  const config = writeLoglaneConfig(dir, bootstrap, storeUrl, group, VARIANTS[0]);
  const started = performance.now();
  const server = startServer(process.execPath, [path.join(ROOT, 'src/cli/main.ts'), 'index', '--config', config], { cwd: ROOT });
  try {
    await server.waitFor(/^admin\s/, 60_000);
    let first = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const res = await fetch(`${storeUrl}/bench/_count`);
      const count = res.status === 200 ? ((await res.json()) as { count: number }).count : 0;
      if (count > 0 && first === 0) first = performance.now();
      if (count >= EVENTS) break;
      if (performance.now() - started > 60 * 60_000) throw new Error(`store: ${count} of ${EVENTS} after an hour`);
    }
    const cpu = cpuSeconds(server.child.pid);
    return { eventsPerSecond: EVENTS / ((performance.now() - first) / 1000), cpuPerMillion: (cpu / EVENTS) * 1e6, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    await server.stop('SIGTERM');
  }
}

const RULEBASE = `version=2
rule=:%clientip:word% %ident:word% %auth:word% [%timestamp:char-to{"extradata":"]"}%] "%verb:word% %request:word% HTTP/%httpversion:char-to{"extradata":"\\""}%" %response:number{"format":"number"}% %bytes:number{"format":"number"}% %referrer:quoted-string% %agent:quoted-string%
`;

function writeRsyslogConfig(dir: string, bootstrap: string, endpoint: NullEndpoint, group: string): string {
  const work = path.join(dir, `rsyslog-${group}`);
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(dir, 'combined.rb'), RULEBASE);
  const file = path.join(work, 'rsyslog.conf');
  fs.writeFileSync(
    file,
    `global(workDirectory="${work}" processInternalMessages="on")
module(load="imkafka")
module(load="mmjsonparse")
module(load="mmnormalize")
module(load="omelasticsearch")
template(name="doc" type="subtree" subtree="$!")
input(type="imkafka" topic="${TOPIC}" broker=["${bootstrap}"] consumergroup="${group}" ruleset="bench"
      confParam=["auto.offset.reset=smallest", "enable.partition.eof=false"])
ruleset(name="bench" queue.type="linkedList" queue.size="200000" queue.dequeueBatchSize="${BULK}") {
  if re_match($rawmsg, '^[{]') then {
    action(type="mmjsonparse" cookie="" useRawMsg="on")
  } else {
    action(type="mmnormalize" rulebase="${path.join(dir, 'combined.rb')}" useRawMsg="on")
    set $!message = $rawmsg;
  }
  action(type="omelasticsearch" server="127.0.0.1" serverport="${endpoint.port}" searchIndex="bench" template="doc"
         bulkmode="on" maxbytes="10m" esVersion.major="8"
         queue.type="linkedList" queue.size="200000" queue.dequeueBatchSize="${BULK}" action.resumeRetryCount="-1")
}
`,
  );
  return file;
}

async function runRsyslog(dir: string, bootstrap: string, endpoint: NullEndpoint, group: string): Promise<RunResult> {
  endpoint.reset();
  const config = writeRsyslogConfig(dir, bootstrap, endpoint, group);
  const pidfile = path.join(path.dirname(config), 'rsyslogd.pid');
  const started = performance.now();
  const child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', config, '-i', pidfile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await Promise.race([
      endpoint.waitFor(EVENTS, 30 * 60_000),
      exited.then(() => {
        throw new Error(`rsyslogd exited: ${stderr}`);
      }),
    ]);
    const cpu = cpuSeconds(child.pid);
    return { eventsPerSecond: EVENTS / ((endpoint.state.last - endpoint.state.first) / 1000), cpuPerMillion: (cpu / EVENTS) * 1e6, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---- the run -----------------------------------------------------------------------------

async function produceAll(bootstrap: string, events: string[]): Promise<void> {
  const admin = new Admin({ clientId: 'bench', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
  const producer = new Producer({ clientId: 'bench', bootstrapBrokers: [bootstrap], serializers: stringSerializers });
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < events.length; i += 5000) {
    const p = producer.send({ acks: 1, messages: events.slice(i, i + 5000).map((value, k) => ({ topic: TOPIC, value, partition: ((i + k) / 1000) % PARTITIONS | 0 })) });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await producer.close();
}

const dir = fs.mkdtempSync(path.join(tmpdir(), 'loglane-indexer-bench-'));
fs.mkdirSync(path.join(dir, 'broker'));
const broker = await startBrokerProcess({ dir: path.join(dir, 'broker'), broker: { num_partitions: PARTITIONS } });
const endpoint = await startNullEndpoint();
let storeServer: ServerChild | undefined;
try {
  const events = makeEvents(EVENTS);
  const bytes = events.reduce((n, e) => n + Buffer.byteLength(e), 0);
  const producing = performance.now();
  await produceAll(broker.bootstrap, events);
  process.stdout.write(`machine: ${describeMachine(dir)}\n`);
  process.stdout.write(`${EVENTS} events (${Math.round(bytes / EVENTS)} B avg, half JSON, half Apache combined) produced in ${((performance.now() - producing) / 1000).toFixed(1)} s to ${PARTITIONS} partitions; ${ROUNDS} rounds\n`);

  const rsyslog: RunResult[] = [];
  const store: RunResult[] = [];
  let storeUrl: string | undefined;
  if (WITH_STORE) {
    const storeDir = path.join(dir, 'store');
    fs.mkdirSync(storeDir);
    fs.writeFileSync(path.join(storeDir, 'loglane.yml'), `data_dir: ${path.join(storeDir, 'data')}\nadmin:\n  port: 0\nlog:\n  level: warn\nstore:\n  port: 0\n`);
    storeServer = startServer(process.execPath, [path.join(ROOT, 'src/cli/main.ts'), 'store'], { cwd: storeDir });
    storeUrl = `http://127.0.0.1:${(await storeServer.waitFor(/^elasticsearch\s+127\.0\.0\.1:(\d+)/))[1]}`;
  }
  const line = (name: string, r: RunResult) =>
    process.stdout.write(`  ${name.padEnd(34)} ${formatCount(r.eventsPerSecond).padStart(6)} events/s, ${r.cpuPerMillion.toFixed(1)} CPU s per 1M events, ${r.wallSeconds.toFixed(1)} s wall\n`);
  const loglane = new Map<number, RunResult[]>(VARIANTS.map((w) => [w, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const busy = machineBusySeconds();
    const subjects = [`loglane-${VARIANTS[0]}`, 'rsyslog', `loglane-${VARIANTS[1]}`];
    const order = round % 2 === 1 ? subjects : [...subjects].reverse();
    process.stdout.write(`round ${round}:\n`);
    for (const who of order.filter((w) => ONLY === undefined || w.startsWith(ONLY))) {
      if (who.startsWith('loglane')) {
        const workers = Number(who.slice('loglane-'.length));
        const r = await runLoglane(dir, broker.bootstrap, endpoint, `${who}-${round}`, workers);
        loglane.get(workers)!.push(r);
        line(`loglane (workers ${workers}) → null _bulk`, r);
      } else {
        const r = await runRsyslog(dir, broker.bootstrap, endpoint, `rsyslog-${round}`);
        rsyslog.push(r);
        line('rsyslog → null _bulk', r);
      }
    }
    if (storeUrl !== undefined) {
      const r = await runLoglaneIntoStore(dir, broker.bootstrap, storeUrl, `store-${round}`);
      store.push(r);
      line(`loglane (workers ${VARIANTS[0]}) → store`, r);
    }
    process.stdout.write(`  (machine busy ${(machineBusySeconds() - busy).toFixed(0)} CPU s this round)\n`);
  }
  const med = (list: RunResult[], key: keyof RunResult) => median(list.map((r) => r[key]));
  const variants = VARIANTS.map((w) => {
    const runs = loglane.get(w)!;
    const rate = med(runs, 'eventsPerSecond');
    const ratio = rsyslog.length === 0 ? '' : `, ratio ${(rate / med(rsyslog, 'eventsPerSecond')).toFixed(2)}×`;
    return `loglane workers ${w}: ${formatCount(rate)} events/s (${med(runs, 'cpuPerMillion').toFixed(1)} CPU s/1M)${ratio}`;
  });
  process.stdout.write(
    `indexer: ${EVENTS} events, json+grok+date+mutate; medians of ${ROUNDS}: (a) null _bulk: ${variants.join('; ')}` +
      (rsyslog.length === 0 ? '' : `; rsyslog ${formatCount(med(rsyslog, 'eventsPerSecond'))} events/s (${med(rsyslog, 'cpuPerMillion').toFixed(1)} CPU s/1M)`) +
      (store.length > 0 ? `; (b) embedded store: loglane workers ${VARIANTS[0]} ${formatCount(med(store, 'eventsPerSecond'))} events/s (${med(store, 'cpuPerMillion').toFixed(1)} CPU s/1M, indexer process only)` : '') +
      '\n',
  );
} finally {
  await storeServer?.stop('SIGTERM');
  await endpoint.close();
  await broker.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
