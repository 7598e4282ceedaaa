/** The `stdin` input: lines of the standard input (or any stream), until it ends. */
import type { Logger } from '../../telemetry/logger.ts';
import type { StdinInputConfig } from '../config.ts';
import type { Decoration } from '../event.ts';
import { LineEventizer } from '../lines.ts';
import { shipperMetrics } from '../metrics.ts';
import type { Line } from '../multiline.ts';
import type { Sink } from '../sink.ts';
import { LineSplitter } from './file/line-splitter.ts';

export interface StdinInputOptions {
  config: StdinInputConfig;
  decoration: Decoration;
  sink: Sink;
  logger: Logger;
  stream?: NodeJS.ReadableStream;
}

export interface RunningStdinInput {
  readonly id: string;
  /** Resolves when the stream ended and every line was handed to the output. */
  readonly ended: Promise<void>;
  stop(): Promise<void>;
}

export function startStdinInput(options: StdinInputOptions): RunningStdinInput {
  const { config, sink } = options;
  const input = config.id;
  const stream = options.stream ?? process.stdin;
  const splitter = new LineSplitter(config.max_line_bytes, config.encoding);
  const eventizer = new LineEventizer({ multiline: config.multiline, ndjson: config.ndjson, decoration: options.decoration, base: () => ({}) });
  let position = 0;
  let stopped = false;
  const publish = async (events: ReturnType<LineEventizer['push']>) => {
    if (events.length === 0) return;
    shipperMetrics.eventsRead.inc({ input }, events.length);
    await sink.publish(events.map((e) => ({ fields: e.fields, input })));
  };
  const timer = config.multiline === undefined ? undefined : setInterval(() => void publish(eventizer.flush()).catch(() => {}), Math.max(10, Math.floor(config.multiline.timeout_ms / 2)));
  const ended = (async () => {
    const lines: Line[] = [];
    for await (const chunk of stream) {
      if (stopped) break;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      shipperMetrics.bytesRead.inc({ input }, buffer.length);
      lines.length = 0;
      splitter.push(buffer, position, lines);
      position += buffer.length;
      await publish(eventizer.push(lines));
    }
    // A last line without a newline.
    lines.length = 0;
    if (splitter.partialStart !== undefined) splitter.push(Buffer.from('\n'), position, lines);
    await publish(eventizer.push(lines));
    await publish(eventizer.flush(true));
    if (splitter.truncated > 0) shipperMetrics.truncatedLines.inc({ input }, splitter.truncated);
  })()
    .catch((error: unknown) => {
      if (!stopped) options.logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, err: error }, 'stdin input failed');
    })
    .finally(() => clearInterval(timer));
  return {
    id: input,
    ended,
    async stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
