/**
 * Broker throughput against the machine's own ceiling. kcat (librdkafka) produces a file
 * of ~200-byte log lines, one record per line, to the broker running in its own process
 * (`loglane broker`), with acks=all and with acks=1, and reads it back to /dev/null. The
 * ceiling is a plain TCP-to-file copy of the same bytes on the same machine in the same
 * run (bench/lib/tcp-file-copy.ts: a Node server that writes what it receives with
 * fs.writeSync and fsyncs at the end, fed by a Node client streaming the file over
 * loopback), and for fetch the same server streaming the file back to a client that
 * discards it. Rounds interleave ours and the ceiling (the order rotates every round);
 * summary lines report medians, and ratios are medians of per-round ratios.
 *
 * Targets (issue): produce acks=1 >= 0.5 of the ceiling, acks=all >= 0.3, fetch >= 0.5.
 *
 * MEMORY: on a VM whose balloon reports free pages to the host, the first write into a
 * page the host has taken back faults in the hypervisor; filling the page cache with new
 * data then costs several times more than reusing pages freed a moment ago (measured on
 * the reference machine: 2-4 s versus 0.3 s of kernel time per GiB). So every write
 * measurement runs in a group that ends by deleting what it wrote (ceiling: tcp→file,
 * file→tcp, delete the file; acks=all: produce, fetch, delete the topic; acks=1: produce,
 * delete), and the groups rotate: each write starts right after ~1 GiB was freed.
 *
 * Every measurement also reports the CPU used, in cores (CPU seconds per second): the
 * server (broker or copy server), the client (kcat or copy client; for kcat also its main
 * thread) and everything else on the machine ("others", from /proc/stat). A measurement
 * during which others used more than DISTURBED_CORES is marked DISTURBED, and each ratio
 * line also gives the median over the rounds where neither side was disturbed. Before
 * each group the run waits (at most QUIET_WAIT_MS) for a quiet second.
 *
 * Environment:
 *   BENCH_BROKER_BYTES     input size (default 1G = 1 GiB; e.g. 256M for a quick run)
 *   BENCH_BROKER_ROUNDS    rounds (default 6)
 *   BENCH_BROKER_CPU_PROF  a folder: run the broker with --cpu-prof and write its profile there
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { startBrokerProcess } from './lib/broker-process.ts';
import { machineBusySeconds, startServer, type TimedRun } from './lib/child.ts';
import { consumeAll, endOffset, KCAT, kcatVersion, produceFile } from './lib/kcat.ts';
import { writeLogFile } from './lib/log-lines.ts';
import { describeMachine } from './lib/machine.ts';
import { envBytes, envNumber, formatBytes, formatCount, max, mbps, median, min } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const COPY = path.join(here, 'lib', 'tcp-file-copy.ts');
const BYTES = envBytes('BENCH_BROKER_BYTES', 1024 ** 3);
const ROUNDS = Math.round(envNumber('BENCH_BROKER_ROUNDS', 6));
const PROFILE_DIR = process.env.BENCH_BROKER_CPU_PROF ? path.resolve(process.env.BENCH_BROKER_CPU_PROF) : null;

/**
 * librdkafka 2.0.2's own defaults, spelled out so the run does not change when a newer
 * librdkafka changes them: up to 10,000 messages or ~1 MB per batch, 5 ms linger, no
 * compression. With 200-byte records the 1 MB batch.size binds first (~5,000 records, one
 * batch per Produce request for the one partition), below the broker's 1 MiB
 * message.max.bytes.
 */
const PRODUCER = { 'linger.ms': 5, 'batch.num.messages': 10_000, 'batch.size': 1_000_000, 'compression.codec': 'none' } as const;

/**
 * librdkafka's defaults (1 MiB per partition fetch) except fetch.wait.max.ms: kcat -e
 * exits only after a fetch at the high watermark comes back empty, and the broker (as
 * Kafka does) holds that fetch for fetch.wait.max.ms, 500 ms by default, which would add
 * half a second of idle time to every run. While data is there, the broker answers at
 * once whatever the wait, so this changes nothing else.
 */
const CONSUMER = { 'fetch.wait.max.ms': 10 } as const;

/** A measurement during which other processes used more CPU than this (cores) is marked disturbed. */
const DISTURBED_CORES = 0.25;
/** Before each group, wait up to this long for a second in which the machine is (nearly) idle. */
const QUIET_WAIT_MS = 20_000;

const CEILING_IN = 'ceiling tcp→file';
const CEILING_OUT = 'ceiling file→tcp';
type Name = 'produce acks=all' | 'produce acks=1' | 'fetch' | typeof CEILING_IN | typeof CEILING_OUT;

interface Sample {
  seconds: number;
  /** CPU seconds of the server side: the broker, or the copy server. */
  serverCpu: number;
  /** CPU seconds of the client side: kcat, or the copy client. */
  clientCpu: number;
  /** CPU seconds of kcat's main thread (NaN for the ceiling), which reads and writes the records one by one. */
  clientMainCpu: number;
  /** CPU seconds of everything else on the machine during the measurement. */
  otherCpu: number;
}

const disturbed = (s: Sample): boolean => s.otherCpu / s.seconds > DISTURBED_CORES;

/**
 * Waits until the machine used less than DISTURBED_CORES over one second (nothing of ours
 * runs now, so that is other work), or QUIET_WAIT_MS passed; returns the seconds waited.
 */
async function waitForQuiet(): Promise<number> {
  const started = performance.now();
  for (;;) {
    const busy0 = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = machineBusySeconds() - busy0;
    const waited = performance.now() - started;
    if (!(busy >= DISTURBED_CORES) || waited >= QUIET_WAIT_MS) return waited / 1000 - 1;
  }
}

function settleDisk(): void {
  // Dirty pages of the previous measurement would otherwise be written back during the next.
  spawnSync('sync');
}

interface Timed {
  seconds: number;
  serverCpu: number;
  clientCpu: number;
  clientMainCpu?: number;
  /** CPU seconds of the whole machine over the timed window (machineBusySeconds). */
  machineCpu: number;
}

/** Runs one measurement on a settled disk; the machine's CPU not used by the measured processes goes to "others". */
async function measure(run: () => Promise<Timed>): Promise<Sample> {
  settleDisk();
  const { machineCpu, ...result } = await run();
  return { clientMainCpu: Number.NaN, ...result, otherCpu: Math.max(0, machineCpu - result.serverCpu - result.clientCpu) };
}

function ceilingIn(input: string, output: string, expected: number): Promise<Sample> {
  return measure(async () => {
    const sink = startServer(process.execPath, [COPY, 'sink', output]);
    const [, port] = (await sink.waitFor(/^listening (\d+)$/)) as unknown as [string, string];
    const sender = startServer(process.execPath, [COPY, 'send', port, input]);
    await sender.waitFor(/^ready$/);
    const busy0 = machineBusySeconds();
    const started = performance.now();
    sender.send('go');
    const [, bytes, serverCpu] = (await sink.waitFor(/^done (\d+) ([\d.]+)$/, 600_000)) as unknown as [string, string, string];
    const seconds = (performance.now() - started) / 1000;
    const machineCpu = machineBusySeconds() - busy0;
    const [, clientCpu] = (await sender.waitFor(/^sent ([\d.]+)$/)) as unknown as [string, string];
    await Promise.all([sink.exited, sender.exited]);
    if (Number(bytes) !== expected) throw new Error(`tcp→file copied ${bytes} bytes, expected ${expected}`);
    return { seconds, serverCpu: Number(serverCpu), clientCpu: Number(clientCpu), machineCpu };
  });
}

function ceilingOut(file: string, expected: number): Promise<Sample> {
  return measure(async () => {
    const server = startServer(process.execPath, [COPY, 'serve', file]);
    const [, port] = (await server.waitFor(/^listening (\d+)$/)) as unknown as [string, string];
    const receiver = startServer(process.execPath, [COPY, 'recv', port]);
    await receiver.waitFor(/^ready$/);
    const busy0 = machineBusySeconds();
    const started = performance.now();
    receiver.send('go');
    const [, bytes, clientCpu] = (await receiver.waitFor(/^done (\d+) ([\d.]+)$/, 600_000)) as unknown as [string, string, string];
    const seconds = (performance.now() - started) / 1000;
    const machineCpu = machineBusySeconds() - busy0;
    const [, serverCpu] = (await server.waitFor(/^sent ([\d.]+)$/)) as unknown as [string, string];
    await Promise.all([server.exited, receiver.exited]);
    if (Number(bytes) !== expected) throw new Error(`file→tcp copied ${bytes} bytes, expected ${expected}`);
    return { seconds, serverCpu: Number(serverCpu), clientCpu: Number(clientCpu), machineCpu };
  });
}

const cores = (cpu: number, seconds: number): string => (cpu / seconds).toFixed(2);

const dir = fs.mkdtempSync(path.join(tmpdir(), 'loglane-bench-broker-'));
try {
  const kcat = kcatVersion();
  if (kcat === null) {
    process.stderr.write('kcat is not installed (Debian/Ubuntu: apt-get install kcat); the broker scenario needs it\n');
    process.exit(1);
  }
  const free = fs.statfsSync(dir);
  const needed = BYTES * 3;
  if (free.bavail * free.bsize < needed) {
    process.stderr.write(`${dir} has ${formatBytes(free.bavail * free.bsize)} free; this run needs about ${formatBytes(needed)}\n`);
    process.exit(1);
  }
  console.log(`machine: ${describeMachine(dir)}; ${kcat}`);
  console.log(`load average before the run: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

  const started = performance.now();
  const input = writeLogFile(path.join(dir, 'input.log'), BYTES);
  const records = input.records;
  const avg = (input.bytes / records).toFixed(0);
  console.log(
    `input: ${formatBytes(input.bytes)} (${input.bytes} bytes), ${records} records of ${avg} B on average, generated in ${((performance.now() - started) / 1000).toFixed(1)} s; ${ROUNDS} rounds`,
  );
  const props = (p: Record<string, string | number>): string =>
    Object.entries(p)
      .map(([k, v]) => `-X ${k}=${v}`)
      .join(' ');
  console.log(`kcat producer: ${props(PRODUCER)}; consumer: ${props(CONSUMER)}`);

  if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const broker = await startBrokerProcess({ dir, nodeFlags: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [] });
  const admin = new Admin({ clientId: 'bench', bootstrapBrokers: [broker.bootstrap] });
  const samples = new Map<Name, Sample[]>();
  const record = (name: Name, s: Sample): void => {
    samples.set(name, [...(samples.get(name) ?? []), s]);
    console.log(
      `  ${name.padEnd(18)} ${mbps(input.bytes, s.seconds).toFixed(1).padStart(7)} MB/s  ${s.seconds.toFixed(2).padStart(6)} s  (cores: server ${cores(s.serverCpu, s.seconds)}, client ${cores(s.clientCpu, s.seconds)}${Number.isNaN(s.clientMainCpu) ? '' : ` of which main thread ${cores(s.clientMainCpu, s.seconds)}`}, others ${cores(s.otherCpu, s.seconds)})${disturbed(s) ? '  DISTURBED' : ''}`,
    );
  };

  const ours = (run: () => Promise<TimedRun>): Promise<Sample> =>
    measure(async () => {
      const busy0 = machineBusySeconds();
      const cpu0 = broker.cpuSeconds();
      const result = await run();
      const serverCpu = broker.cpuSeconds() - cpu0;
      const clientMainCpu = result.threadCpu.get(KCAT) ?? Number.NaN;
      return { seconds: result.seconds, serverCpu, clientCpu: result.cpuSeconds, clientMainCpu, machineCpu: machineBusySeconds() - busy0 };
    });
  const produce = async (acks: 'all' | '1', topic: string): Promise<Sample> => {
    const sample = await ours(() => produceFile({ bootstrap: broker.bootstrap, topic, file: input.path, acks, properties: PRODUCER }));
    const stored = endOffset(broker.bootstrap, topic);
    if (stored !== records) throw new Error(`acks=${acks}: topic ${topic} holds ${stored} records, expected ${records}`);
    return sample;
  };

  try {
    // Warm-up (not measured): JIT-compiles the broker's produce and fetch paths, and leaves
    // the machine as every measured group leaves it (see MEMORY below).
    await produce('1', 'bench-warmup');
    await consumeAll(broker.bootstrap, 'bench-warmup', CONSUMER);
    await admin.deleteTopics({ topics: ['bench-warmup'] });

    for (let round = 0; round < ROUNDS; round++) {
      console.log(`round ${round + 1}/${ROUNDS}`);
      const copy = path.join(dir, 'ceiling.out');
      const all = `bench-r${round}-acks-all`;
      const one = `bench-r${round}-acks-1`;
      const groups: (() => Promise<void>)[] = [
        async () => {
          record(CEILING_IN, await ceilingIn(input.path, copy, input.bytes));
          record(CEILING_OUT, await ceilingOut(copy, input.bytes));
          fs.rmSync(copy);
        },
        async () => {
          record('produce acks=all', await produce('all', all));
          record('fetch', await ours(() => consumeAll(broker.bootstrap, all, CONSUMER)));
          await admin.deleteTopics({ topics: [all] });
        },
        async () => {
          record('produce acks=1', await produce('1', one));
          await admin.deleteTopics({ topics: [one] });
        },
      ];
      // Rotate the order every round, so each group runs first, second and third equally
      // often (with a multiple of 3 rounds) and a drift of the machine favours no one.
      for (let g = 0; g < groups.length; g++) {
        const waited = await waitForQuiet();
        if (waited >= 1) console.log(`  (waited ${waited.toFixed(0)} s for other processes to quiet down)`);
        await groups[(g + round) % groups.length]!();
      }
    }
  } finally {
    await admin.close();
    await broker.stop();
  }

  const rate = (name: Name, i: number): number => mbps(input.bytes, samples.get(name)![i]!.seconds);
  const summary = (name: Name, ceiling?: Name, target?: number): string => {
    const list = samples.get(name)!;
    const label = name.startsWith('ceiling') ? name : `broker ${name}`;
    let line = `${label.padEnd(24)} ${median(list.map((_, i) => rate(name, i))).toFixed(1).padStart(6)} MB/s  ${formatCount(median(list.map((s) => records / s.seconds))).padStart(5)} rec/s`;
    if (ceiling !== undefined && target !== undefined) {
      const ratios = list.map((_, i) => rate(name, i) / rate(ceiling, i));
      const r = median(ratios);
      // Rounded down, so that a ratio printed as 0.50 never misses a 0.5 target.
      const shown = (x: number): string => (Math.floor(x * 100) / 100).toFixed(2);
      line += `  ratio ${shown(r)} of ${ceiling.slice('ceiling '.length)} ceiling (target ≥ ${target}: ${r >= target ? 'met' : 'MISSED'}; rounds ${shown(min(ratios))}-${shown(max(ratios))}`;
      const quiet = ratios.filter((_, i) => !disturbed(list[i]!) && !disturbed(samples.get(ceiling)![i]!));
      line += quiet.length > 0 ? `; undisturbed rounds ${shown(median(quiet))}, n=${quiet.length})` : '; no undisturbed round)';
    }
    const c = (pick: (s: Sample) => number): string => median(list.map((s) => pick(s) / s.seconds)).toFixed(2);
    const main = name.startsWith('ceiling') ? '' : ` (kcat main thread ${c((s) => s.clientMainCpu)})`;
    return `${line}  [cores: server ${c((s) => s.serverCpu)}, client ${c((s) => s.clientCpu)}${main}, others ${c((s) => s.otherCpu)}]`;
  };
  console.log(`\nmedians of ${ROUNDS} rounds of ${formatBytes(input.bytes)}, ${avg}-byte records (1 MB = 10^6 bytes; cores = CPU seconds per second):`);
  console.log(summary(CEILING_IN));
  console.log(summary('produce acks=all', CEILING_IN, 0.3));
  console.log(summary('produce acks=1', CEILING_IN, 0.5));
  console.log(summary(CEILING_OUT));
  console.log(summary('fetch', CEILING_OUT, 0.5));
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (PROFILE_DIR) console.log(`broker CPU profile written to ${PROFILE_DIR}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
