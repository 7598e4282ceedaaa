/**
 * Child processes for benchmarks: servers that announce themselves with a stdout line,
 * timed client runs with their CPU time, and CPU readings of a running process from
 * /proc, so a scenario can tell whether the subject or the load generator was the limit.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TIME = '/usr/bin/time';
const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(out.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** User + system CPU seconds a live process has used so far (Linux /proc), or NaN. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds all processes of the machine have used so far (user, nice, system, irq,
 * softirq and steal from /proc/stat), or NaN. The difference over a measurement minus the
 * CPU of the processes under test is what everything else on the machine took.
 */
export function machineBusySeconds(): number {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

export interface ServerChild {
  readonly child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern` (rejects on exit or timeout). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Writes a line to the child's stdin. */
  send(line: string): void;
  /** Last stderr output, for error messages. */
  stderrTail(): string;
  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a long-running child whose stdout lines are watched and whose stderr is kept (last 4 kB). */
export function startServer(command: string, args: readonly string[], options: { cwd?: string } = {}): ServerChild {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let pending = '';
  const lines: string[] = [];
  const watchers = new Set<() => void>();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4096);
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    pending += d;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      lines.push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    for (const watcher of watchers) watcher();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const watcher of watchers) watcher();
    });
  });
  const describe = () => `${path.basename(command)} ${args.join(' ')}`;
  return {
    child,
    exited,
    stderrTail: () => stderr,
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < lines.length; seen++) {
            const match = pattern.exec(lines[seen]!);
            if (match) {
              lines.splice(0, seen + 1);
              finish();
              resolve(match);
              return;
            }
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`${describe()} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}: ${stderr.trim()}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${describe()} did not print ${pattern} within ${timeoutMs} ms: ${stderr.trim()}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface TimedRun {
  /** Wall time from spawn to exit. */
  seconds: number;
  /** User + system CPU seconds of the command (NaN when /usr/bin/time is missing). */
  cpuSeconds: number;
  /**
   * CPU seconds per thread name of the command (e.g. `kcat`, `rdk:broker0`), sampled from
   * /proc every 100 ms, so the last moments before the exit are missing. Tells whether
   * one thread of the client was saturated.
   */
  threadCpu: Map<string, number>;
  stderr: string;
}

/** CPU seconds of every thread of `pid`, by thread id, with the thread's name. */
export function threadCpuSeconds(pid: number): Map<string, { comm: string; cpu: number }> {
  const threads = new Map<string, { comm: string; cpu: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}

/** The first child process of `pid` (the command /usr/bin/time runs), or undefined. */
function firstChild(pid: number): number | undefined {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
    return children[0] ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs a command to completion with stdout discarded (/dev/null), timing it from spawn
 * to exit; its CPU time comes from /usr/bin/time when installed. Rejects on a non-zero
 * exit, and after `timeoutMs` (default 10 minutes) kills the command and rejects, so a
 * client that hangs (a broker that stopped answering) cannot stall a benchmark forever.
 */
export async function runTimed(command: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<TimedRun> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const haveTime = fs.existsSync(TIME);
  const timeFile = path.join(tmpdir(), `loglane-bench-time-${process.pid}-${Date.now()}`);
  const [cmd, argv] = haveTime ? [TIME, ['-f', '%U %S', '-o', timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-8192);
  });
  const latest = new Map<string, { comm: string; cpu: number }>();
  const sampler = setInterval(() => {
    const pid = haveTime ? firstChild(child.pid!) : child.pid;
    if (pid !== undefined) for (const [tid, t] of threadCpuSeconds(pid)) latest.set(tid, t);
  }, 100);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // /usr/bin/time does not pass signals on: kill the command itself, then the wrapper.
    const pid = haveTime ? firstChild(child.pid!) : undefined;
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  clearInterval(sampler);
  if (timedOut) throw new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s and was killed: ${stderr.trim()}`);
  const seconds = (performance.now() - started) / 1000;
  const threadCpu = new Map<string, number>();
  for (const { comm, cpu } of latest.values()) threadCpu.set(comm, (threadCpu.get(comm) ?? 0) + cpu);
  let cpu = Number.NaN;
  if (haveTime) {
    try {
      const [user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      cpu = user! + sys!;
    } catch {
      // keep NaN
    }
    fs.rmSync(timeFile, { force: true });
  }
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`);
  return { seconds, cpuSeconds: cpu, threadCpu, stderr };
}

/** Runs a command to completion and returns its stdout (throws on failure). */
export function runText(command: string, args: readonly string[]): string {
  const out = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${out.status ?? out.signal}): ${out.stderr?.trim() || out.error?.message}`);
  return out.stdout;
}
