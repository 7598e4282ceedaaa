/**
 * The engine's worker thread: owns every SQLite connection of the store, so that the
 * synchronous SQLite calls and their fsyncs never block the HTTP event loop (or the
 * broker's, under `loglane up`), and so that parsing requests and writing them run on two
 * cores. Messages: `{id, method, args}` in, `{id, ok, value | error}` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isLoglaneError } from '../../errors/loglane-error.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { EsError } from '../errors.ts';
import { ENGINE_API } from './api.ts';
import { Engine, type EngineOptions } from './engine.ts';

export interface WorkerInit {
  options: Omit<EngineOptions, 'logger'>;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** How often the idle maintenance (packing small writes into blocks) runs. */
  maintenanceIntervalMs: number;
}

export interface WorkerRequest {
  id: number;
  method: string;
  args: unknown[];
}

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: unknown };

const init = workerData as WorkerInit;
const port = parentPort!;
const logger = createLogger({ level: init.logLevel, format: 'json' }).child({ component: 'store', thread: 'engine' });
let engine: Engine;
try {
  engine = new Engine({ ...init.options, logger });
  port.postMessage({ id: 0, ok: true, value: 'ready' });
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: { message: (error as Error).message, stack: (error as Error).stack } });
  process.exit(1);
}

const timer = setInterval(() => {
  if (engine.queue.pending > 0) return;
  engine.maintenance().catch((error: unknown) => logger.warn({ err: error }, 'store maintenance failed'));
}, init.maintenanceIntervalMs);
timer.unref();

port.on('message', (message: WorkerRequest | { close: true }) => {
  if ('close' in message) {
    clearInterval(timer);
    engine.close().then(
      () => port.postMessage({ closed: true }),
      (error: unknown) => port.postMessage({ closed: true, error: String(error) }),
    );
    return;
  }
  const fn = (ENGINE_API as unknown as Record<string, (engine: Engine, ...args: unknown[]) => unknown>)[message.method];
  if (!fn) {
    port.postMessage({ id: message.id, ok: false, error: { message: `unknown engine method ${message.method}` } });
    return;
  }
  let result: unknown;
  try {
    result = fn(engine, ...message.args);
  } catch (error) {
    reply(message.id, error);
    return;
  }
  if (result instanceof Promise) {
    result.then(
      (value) => port.postMessage({ id: message.id, ok: true, value }),
      (error: unknown) => reply(message.id, error),
    );
  } else port.postMessage({ id: message.id, ok: true, value: result });
});

function reply(id: number, error: unknown): void {
  if (error instanceof EsError) port.postMessage({ id, ok: false, error: error.toWire() });
  else {
    logger.error({ err: error, ...(isLoglaneError(error) ? { code: error.code } : {}) }, 'engine operation failed');
    port.postMessage({ id, ok: false, error: { message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack } });
  }
}
