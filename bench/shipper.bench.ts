/**
 * Shipper throughput: N files × M bytes of ~200-byte log lines (bench/lib/log-lines.ts,
 * one seed per file so every file has its own fingerprint) shipped into the embedded
 * broker (`loglane broker`, its own process) by `loglane ship` (its own process), and by
 * rsyslog (Debian rsyslog + rsyslog-kafka: imfile → omkafka, run as this user with its
 * own config, pid file and work directory) — same files, same broker, same JSON shape
 * (`@timestamp`, `message`, `log.file.path`, `host.name`), acks=all for both.
 *
 * A run starts the shipper on the files already written and ends when the topic's end
 * offset reaches the number of lines; the topic is deleted afterwards. Rounds
 * interleave ours and rsyslog (the order alternates); the summary gives medians and the
 * median of per-round ratios. CPU is the shipper process's own (utime+stime), reported
 * per GB shipped.
 *
 * Environment:
 *   BENCH_SHIPPER_FILES       number of files (default 20)
 *   BENCH_SHIPPER_FILE_BYTES  bytes per file (default 50M)
 *   BENCH_SHIPPER_ROUNDS      rounds (default 3)
 *   BENCH_SHIPPER_PROFILE     a directory: `loglane ship` runs with --cpu-prof into it
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { startBrokerProcess } from './lib/broker-process.ts';
import { cpuSeconds, startServer, threadCpuSeconds } from './lib/child.ts';
import { endOffset } from './lib/kcat.ts';
import { writeLogFile } from './lib/log-lines.ts';
import { describeMachine } from './lib/machine.ts';
import { envBytes, envNumber, formatBytes, formatCount, MB, median } from './lib/stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Math.round(envNumber('BENCH_SHIPPER_FILES', 20));
const FILE_BYTES = envBytes('BENCH_SHIPPER_FILE_BYTES', 50 * MB);
const ROUNDS = Math.round(envNumber('BENCH_SHIPPER_ROUNDS', 3));
const PROFILE = process.env.BENCH_SHIPPER_PROFILE;
const RSYSLOGD = '/usr/sbin/rsyslogd';
const OMKAFKA = ['/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so', '/usr/lib/rsyslog/omkafka.so'];

interface Run {
  seconds: number;
  cpu: number;
  /** CPU seconds of the process's busy threads (name and seconds). */
  threads?: string;
}

async function waitForRecords(bootstrap: string, topic: string, records: number, started: number, timeoutMs: number): Promise<number> {
  for (;;) {
    let count = 0;
    try {
      count = endOffset(bootstrap, topic);
    } catch {
      // The topic does not exist yet.
    }
    if (count >= records) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) throw new Error(`only ${count} of ${records} records in ${topic} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runOurs(dir: string, logs: string, bootstrap: string, topic: string, records: number): Promise<Run> {
  const work = fs.mkdtempSync(path.join(dir, 'ours-'));
  const config = {
    data_dir: path.join(work, 'data'),
    log: { level: 'warn', format: 'json' },
    admin: { port: 0 },
    shipper: {
      inputs: [{ type: 'file', paths: [path.join(logs, '*.log')], scan_interval_ms: 200 }],
      kafka: { bootstrap_servers: [bootstrap], topic, acks: 'all' },
    },
  };
  fs.writeFileSync(path.join(work, 'loglane.yml'), JSON.stringify(config));
  const started = Date.now();
  const server = startServer(process.execPath, [...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : []), path.join(ROOT, 'src/cli/main.ts'), 'ship', '--config', path.join(work, 'loglane.yml')], { cwd: work });
  try {
    const seconds = await waitForRecords(bootstrap, topic, records, started, 1_800_000);
    const cpu = cpuSeconds(server.child.pid);
    const threads = [...threadCpuSeconds(server.child.pid!).values()].filter((t) => t.cpu >= 0.05 * cpu);
    return { seconds, cpu, threads: threads.map((t) => `${t.comm} ${t.cpu.toFixed(1)}`).join(', ') };
  } finally {
    await server.stop('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function runRsyslog(dir: string, logs: string, bootstrap: string, topic: string, records: number): Promise<Run> {
  const work = fs.mkdtempSync(path.join(dir, 'rsyslog-'));
  fs.mkdirSync(path.join(work, 'state'));
  const conf = path.join(work, 'rsyslog.conf');
  fs.writeFileSync(
    conf,
    [
      `global(workDirectory="${path.join(work, 'state')}" maxMessageSize="64k")`,
      'module(load="imfile" mode="inotify")',
      'module(load="omkafka")',
      'template(name="shipjson" type="string" string="{\\"@timestamp\\":\\"%timegenerated:::date-rfc3339%\\",\\"message\\":\\"%msg:::json%\\",\\"log\\":{\\"file\\":{\\"path\\":\\"%$!metadata!filename:::json%\\"}},\\"host\\":{\\"name\\":\\"%hostname:::json%\\"}}")',
      `input(type="imfile" File="${path.join(logs, '*.log')}" Tag="app" addMetadata="on" freshStartTail="off")`,
      `action(type="omkafka" broker=["${bootstrap}"] topic="${topic}" template="shipjson" topicConfParam=["request.required.acks=-1"])`,
      '',
    ].join('\n'),
  );
  const started = Date.now();
  const child = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', path.join(work, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-2000);
  });
  try {
    const seconds = await waitForRecords(bootstrap, topic, records, started, 1_800_000).catch((error: Error) => {
      throw new Error(`${error.message}; rsyslogd stderr: ${stderr}`);
    });
    return { seconds, cpu: cpuSeconds(child.pid) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function deleteTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Admin({ clientId: 'bench-shipper', bootstrapBrokers: [bootstrap] });
  try {
    await admin.deleteTopics({ topics: [topic] });
  } catch {
    // Best effort: a topic that stays only costs disk.
  } finally {
    await admin.close();
  }
}

const dir = fs.mkdtempSync(path.join(tmpdir(), 'loglane-bench-shipper-'));
const logs = path.join(dir, 'logs');
fs.mkdirSync(logs);
let bytes = 0;
let records = 0;
for (let i = 0; i < FILES; i++) {
  const file = writeLogFile(path.join(logs, `app-${String(i).padStart(2, '0')}.log`), FILE_BYTES, 1000 + i);
  bytes += file.bytes;
  records += file.records;
}
const haveRsyslog = fs.existsSync(RSYSLOGD) && OMKAFKA.some((f) => fs.existsSync(f));
console.log(`machine: ${describeMachine(dir)}; host ${hostname()}`);
console.log(`input: ${FILES} files × ${formatBytes(FILE_BYTES)} = ${formatBytes(bytes)}, ${formatCount(records)} lines; rounds ${ROUNDS}; peer: ${haveRsyslog ? 'rsyslog imfile → omkafka' : 'none (rsyslog-kafka not installed)'}`);
const broker = await startBrokerProcess({ dir });
const ours: Run[] = [];
const peer: Run[] = [];
const ratios: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['ours', 'rsyslog'] as const) : (['rsyslog', 'ours'] as const);
    const results: Partial<Record<'ours' | 'rsyslog', Run>> = {};
    for (const who of order) {
      if (who === 'rsyslog' && !haveRsyslog) continue;
      const topic = `bench-shipper-${who}-${process.pid}-${round}`;
      const run = who === 'ours' ? await runOurs(dir, logs, broker.bootstrap, topic, records) : await runRsyslog(dir, logs, broker.bootstrap, topic, records);
      await deleteTopic(broker.bootstrap, topic);
      results[who] = run;
      (who === 'ours' ? ours : peer).push(run);
      const mb = bytes / MB / run.seconds;
      console.log(`round ${round + 1} ${who.padEnd(7)} ${run.seconds.toFixed(1)} s  ${mb.toFixed(1)} MB/s  ${formatCount(Math.round(records / run.seconds))} events/s  CPU ${run.cpu.toFixed(1)} s = ${(run.cpu / (bytes / 1e9)).toFixed(1)} CPU s/GB${run.threads ? ` [threads: ${run.threads}]` : ''}`);
    }
    if (results.ours && results.rsyslog) ratios.push(results.rsyslog.seconds / results.ours.seconds);
  }
} finally {
  await broker.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
const summary = (name: string, runs: Run[]) => {
  const seconds = median(runs.map((r) => r.seconds));
  const cpu = median(runs.map((r) => r.cpu));
  return `${name}: ${(bytes / MB / seconds).toFixed(1)} MB/s, ${formatCount(Math.round(records / seconds))} events/s, ${(cpu / (bytes / 1e9)).toFixed(1)} CPU s/GB (median of ${runs.length})`;
};
console.log(summary('loglane ship', ours));
if (peer.length > 0) console.log(summary('rsyslog', peer));
if (ratios.length > 0) console.log(`ratio loglane/rsyslog throughput: ${median(ratios).toFixed(2)}× (median of per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≥ 1.0×)`);
