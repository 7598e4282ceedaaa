/**
 * The shipper: inputs → (multiline, ndjson, fields, tags) → lanes/topic/key → the Kafka
 * output; the file registry is flushed every `registry_flush_ms` and on stop.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { DeepReadonly } from '../config/load.ts';
import type { Endpoint } from '../runtime/component.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { InputConfig, ShipperConfig } from './config.ts';
import type { Decoration, ShipperEvent } from './event.ts';
import { startFileInput } from './inputs/file/file-input.ts';
import { Registry } from './inputs/file/registry.ts';
import { startHttpInput } from './inputs/http-input.ts';
import { startStdinInput } from './inputs/stdin-input.ts';
import { startSyslogInput } from './inputs/syslog/syslog-input.ts';
import { createLanes } from './lanes.ts';
import { type ProducerLike, ShipperOutput } from './output.ts';
import { createRouter } from './router.ts';
import type { Sink } from './sink.ts';

export interface ShipperOptions {
  config: DeepReadonly<ShipperConfig>;
  bootstrap: readonly string[];
  /** The shipper's folder (registry, reject file). */
  dir: string;
  logger: Logger;
  /** Where relative file paths are resolved (default: the working directory). */
  cwd?: string;
  now?: () => number;
  createProducer?: () => ProducerLike;
  stdin?: NodeJS.ReadableStream;
}

export interface RunningShipper {
  readonly endpoints: readonly Endpoint[];
  readonly output: ShipperOutput;
  readonly registry: Registry;
  /** Writes the registry now. */
  flushRegistry(): Promise<void>;
  stop(): Promise<void>;
}

export async function startShipper(options: ShipperOptions): Promise<RunningShipper> {
  const config = structuredClone(options.config) as ShipperConfig;
  const { logger } = options;
  const now = options.now ?? Date.now;
  const { registry, problem } = await Registry.open(path.join(options.dir, 'registry.json'));
  if (problem !== undefined) logger.error({ code: 'LOGLANE_ERR_SHIPPER_REGISTRY', registry: registry.file }, problem);
  const lanes = config.lanes == null ? undefined : createLanes(config.lanes, now, logger);
  const output = new ShipperOutput({
    config: config.kafka,
    bootstrap: options.bootstrap,
    router: createRouter(config.kafka, lanes),
    rejectFile: config.kafka.reject_file == null ? path.join(options.dir, 'rejected.ndjson') : path.resolve(options.cwd ?? process.cwd(), config.kafka.reject_file),
    logger,
    ...(options.createProducer === undefined ? {} : { createProducer: options.createProducer }),
  });
  const sink: Sink = {
    publish: (events: ShipperEvent[]) => output.publish(events),
    offer: (events: ShipperEvent[]) => output.offer(events),
    state: () => output.state(),
  };
  const host = config.host_name ?? hostname();
  const decorationOf = (input: InputConfig): Decoration => ({ hostName: host, fields: input.fields, fieldsUnderRoot: input.fields_under_root, tags: input.tags });

  const stoppers: (() => Promise<void>)[] = [];
  const endpoints: Endpoint[] = [];
  try {
    for (const input of config.inputs) {
      const decoration = decorationOf(input);
      const inputLogger = logger.child({ input: input.id });
      switch (input.type) {
        case 'file': {
          const running = startFileInput({ config: input, registry, decoration, publish: sink.publish, logger: inputLogger, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
          stoppers.push(() => running.stop());
          break;
        }
        case 'stdin': {
          const running = startStdinInput({ config: input, decoration, sink, logger: inputLogger, ...(options.stdin === undefined ? {} : { stream: options.stdin }) });
          stoppers.push(() => running.stop());
          break;
        }
        case 'syslog': {
          const running = await startSyslogInput({ config: input, decoration, sink, logger: inputLogger });
          endpoints.push(running.endpoint);
          stoppers.push(() => running.stop());
          break;
        }
        case 'http': {
          const running = await startHttpInput({ config: input, decoration, sink, logger: inputLogger });
          endpoints.push(running.endpoint);
          stoppers.push(() => running.stop());
          break;
        }
      }
    }
  } catch (error) {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    await output.stop(0);
    throw error;
  }

  let flushing = false;
  const flushTimer = setInterval(() => {
    lanes?.tick(now());
    if (flushing) return;
    flushing = true;
    registry
      .flush()
      .catch((error: unknown) => logger.error({ code: 'LOGLANE_ERR_SHIPPER_REGISTRY', err: error, registry: registry.file }, 'cannot write the registry; retrying'))
      .finally(() => {
        flushing = false;
      });
  }, config.registry_flush_ms);

  return {
    endpoints,
    output,
    registry,
    flushRegistry: () => registry.flush(),
    async stop() {
      clearInterval(flushTimer);
      // Inputs stop reading first (the HTTP input still answers requests in flight), then the output drains.
      const stopping = stoppers.map((stop) => stop());
      await output.stop();
      await Promise.all(stopping);
      await registry.flush();
    },
  };
}
