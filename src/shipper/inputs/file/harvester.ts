/**
 * Reads one open file from an offset: splits lines, turns them into events, publishes
 * them (waiting while the output queue is full, so a blocked Kafka stops the reading),
 * and follows the file as it grows. It ends when the file was truncated (copytruncate),
 * removed, inactive for `close_inactive_ms`, or rewritten (its head no longer matches the
 * fingerprint), or on stop. Acknowledgements advance the registry state.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Logger } from '../../../telemetry/logger.ts';
import type { FileInputConfig } from '../../config.ts';
import type { Decoration, ShipperEvent } from '../../event.ts';
import { LineEventizer } from '../../lines.ts';
import { shipperMetrics } from '../../metrics.ts';
import type { Line } from '../../multiline.ts';
import { fingerprintOf } from './fingerprint.ts';
import { LineSplitter } from './line-splitter.ts';
import type { FileState, Registry } from './registry.ts';

export type HarvestEnd = 'stopped' | 'truncated' | 'removed' | 'inactive' | 'rewritten' | 'error';

export interface HarvesterOptions {
  config: FileInputConfig;
  handle: FileHandle;
  state: FileState;
  registry: Registry;
  start: number;
  decoration: Decoration;
  publish: (events: ShipperEvent[]) => Promise<void>;
  logger: Logger;
  signal: AbortSignal;
  /** True while the file's path still leads to this file. */
  present: () => Promise<boolean>;
}

export async function harvest(options: HarvesterOptions): Promise<HarvestEnd> {
  const { config, handle, state, registry, signal, logger } = options;
  const splitter = new LineSplitter(config.max_line_bytes, config.encoding);
  const eventizer = new LineEventizer({
    multiline: config.multiline,
    ndjson: config.ndjson,
    decoration: options.decoration,
    base: (line) => ({ log: { file: { path: state.path }, offset: line.offset } }),
  });
  const buffer = Buffer.allocUnsafe(config.read_buffer_bytes);
  const input = config.id;
  let position = options.start;
  let lastData = Date.now();
  let lastHeadCheck = Date.now();
  let truncatedSeen = 0;
  let invalidSeen = 0;
  const lines: Line[] = [];

  const send = async (events: { fields: Record<string, unknown>; line: Line }[]): Promise<void> => {
    if (events.length === 0) return;
    const out: ShipperEvent[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) out[i] = { fields: events[i]!.fields, input };
    const end = events[events.length - 1]!.line.end;
    state.pending += events.length;
    const count = events.length;
    // Acks come in order, so the last event's ack covers the whole chunk.
    out[out.length - 1]!.ack = () => {
      state.pending -= count;
      registry.advance(state, end);
    };
    shipperMetrics.eventsRead.inc({ input }, events.length);
    await options.publish(out);
    state.readOffset = Math.max(state.readOffset, end);
  };

  const headChanged = async (): Promise<boolean> => {
    // Re-keyed states gain a fingerprint while being read.
    const at = state.key.indexOf('fp:');
    if (at === -1) return false;
    const headFingerprint = state.key.slice(at);
    const now = await fingerprintOf(handle, config.fingerprint_bytes).catch(() => undefined);
    return now !== headFingerprint;
  };

  try {
    while (!signal.aborted) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        lastData = Date.now();
        shipperMetrics.bytesRead.inc({ input }, bytesRead);
        lines.length = 0;
        splitter.push(buffer.subarray(0, bytesRead), position, lines);
        position += bytesRead;
        if (splitter.truncated > truncatedSeen) {
          shipperMetrics.truncatedLines.inc({ input }, splitter.truncated - truncatedSeen);
          if (truncatedSeen === 0) logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, path: state.path, max_line_bytes: config.max_line_bytes }, 'line longer than max_line_bytes: truncated and flagged log.flags: ["truncated"]');
          truncatedSeen = splitter.truncated;
        }
        if (splitter.invalid > invalidSeen) {
          shipperMetrics.invalidInput.inc({ input, reason: 'invalid_utf8' }, splitter.invalid - invalidSeen);
          if (invalidSeen === 0) logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, path: state.path }, 'bytes that are not UTF-8 (binary data?): decoded with replacement characters and flagged log.flags: ["invalid_utf8"]');
          invalidSeen = splitter.invalid;
        }
        await send(eventizer.push(lines));
        shipperMetrics.registryLag.set({ input, path: state.path }, Math.max(0, position - state.offset));
        if (Date.now() - lastHeadCheck >= config.poll_interval_ms) {
          lastHeadCheck = Date.now();
          if (await headChanged()) return 'rewritten';
        }
        continue;
      }
      // At the end of the file.
      await send(eventizer.flush());
      shipperMetrics.registryLag.set({ input, path: state.path }, Math.max(0, (splitter.partialStart ?? position) - state.offset));
      const stat = await handle.stat();
      if (stat.size < position) {
        logger.info({ input, path: state.path, size: stat.size, offset: position }, 'file truncated (copytruncate): reading it again from its start');
        return 'truncated';
      }
      if (stat.size > position) continue;
      if (await headChanged()) return 'rewritten';
      const idle = Date.now() - lastData;
      if (!eventizer.pending && idle >= config.close_inactive_ms) return 'inactive';
      if (!(await options.present()) && !eventizer.pending) return 'removed';
      await wait(eventizer.pending ? Math.min(config.poll_interval_ms, eventizer.timeoutMs ?? config.poll_interval_ms) : config.poll_interval_ms, signal);
    }
    return 'stopped';
  } catch (error) {
    if (signal.aborted) return 'stopped';
    shipperMetrics.invalidInput.inc({ input, reason: 'read_error' });
    logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, path: state.path, err: error }, 'cannot read the file: closed; it is opened again at the next scan');
    return 'error';
  } finally {
    // What was read but not sent (a partial line, a multi-line event) is read again next time.
    state.readOffset = Math.max(state.offset, Math.min(state.readOffset, position));
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
