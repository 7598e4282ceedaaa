/**
 * `partition-state.json` in each partition directory: the log start offset checkpoint
 * (Kafka's `log-start-offset-checkpoint`) and the clean-shutdown marker (Kafka's
 * `.kafka_cleanshutdown`) in one small file, replaced atomically and durably.
 *
 * `cleanShutdown` is written by `close()` after every segment is fsynced and every index
 * persisted, and removed (the file rewritten without it) as soon as `open()` has loaded
 * the log, so a later crash is never mistaken for a clean stop. When present and it
 * matches the active segment, open skips the CRC scan of the active segment.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurable } from './fs-io.ts';

export const PARTITION_STATE_FILE = 'partition-state.json';

export interface CleanShutdown {
  activeBaseOffset: number;
  activeSizeBytes: number;
  logEndOffset: number;
}

export interface PartitionState {
  logStartOffset: number;
  cleanShutdown: CleanShutdown | null;
}

export async function readPartitionState(dir: string): Promise<PartitionState | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, PARTITION_STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as { version?: number } & Partial<PartitionState>;
    if (parsed.version !== 1 || !Number.isSafeInteger(parsed.logStartOffset)) return null;
    const clean = parsed.cleanShutdown;
    const cleanOk =
      clean != null &&
      Number.isSafeInteger(clean.activeBaseOffset) &&
      Number.isSafeInteger(clean.activeSizeBytes) &&
      Number.isSafeInteger(clean.logEndOffset);
    return { logStartOffset: parsed.logStartOffset!, cleanShutdown: cleanOk ? clean : null };
  } catch {
    // Written atomically, so this means outside interference; the log rebuilds what it can.
    return null;
  }
}

export async function writePartitionState(dir: string, state: PartitionState): Promise<void> {
  await writeFileDurable(path.join(dir, PARTITION_STATE_FILE), `${JSON.stringify({ version: 1, ...state })}\n`);
}
