/**
 * kcat (librdkafka's command-line client) as the load generator of broker benchmarks:
 * produce a file one record per line, consume a partition to /dev/null, read a
 * partition's end offset. Each run is a separate kcat process, timed from spawn to exit.
 */
import { runText, runTimed, type TimedRun } from './child.ts';

export const KCAT = 'kcat';

/** A kcat run that takes longer than this is killed (a hung broker must not stall the benchmark). */
const KCAT_TIMEOUT_MS = 10 * 60_000;

/** `kcat 1.7.1 (librdkafka 2.0.2)`, or null when kcat is not installed. */
export function kcatVersion(): string | null {
  try {
    const out = runText(KCAT, ['-V']);
    const kcat = /^Version (\S+)/m.exec(out)?.[1] ?? '?';
    const librdkafka = /librdkafka (\d[\w.]*)/.exec(out)?.[1] ?? '?';
    return `kcat ${kcat} (librdkafka ${librdkafka})`;
  } catch {
    return null;
  }
}

export interface ProduceOptions {
  bootstrap: string;
  topic: string;
  file: string;
  acks: 'all' | '1';
  /** librdkafka properties passed as `-X key=value`. */
  properties: Readonly<Record<string, string | number>>;
}

/** `kcat -P -l <file>`: one record per line; resolves when every record is acknowledged. */
export function produceFile(options: ProduceOptions): Promise<TimedRun> {
  const props = Object.entries({ ...options.properties, acks: options.acks }).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
  return runTimed(KCAT, ['-b', options.bootstrap, '-t', options.topic, '-P', '-l', options.file, ...props], { timeoutMs: KCAT_TIMEOUT_MS });
}

/** `kcat -C -o beginning -e -q` to /dev/null: reads the whole partition 0 once. */
export function consumeAll(bootstrap: string, topic: string, properties: Readonly<Record<string, string | number>> = {}): Promise<TimedRun> {
  const props = Object.entries(properties).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
  return runTimed(KCAT, ['-b', bootstrap, '-t', topic, '-p', '0', '-C', '-o', 'beginning', '-e', '-q', ...props], { timeoutMs: KCAT_TIMEOUT_MS });
}

/** The end offset (high watermark) of partition 0, i.e. the number of records in a fresh topic. */
export function endOffset(bootstrap: string, topic: string): number {
  const out = runText(KCAT, ['-b', bootstrap, '-Q', '-t', `${topic}:0:-1`]);
  const match = /offset (-?\d+)/.exec(out);
  if (!match) throw new Error(`unexpected kcat -Q output: ${out.trim()}`);
  return Number(match[1]);
}
