/**
 * Runs components as one service process: takes the data directory lock, starts the
 * admin listener and the components, prints one line per endpoint, and on SIGINT/SIGTERM
 * stops everything in reverse order within the shutdown timeout.
 */
import type { Config } from '../config/load.ts';
import { LoglaneError } from '../errors/loglane-error.ts';
import { type AdminServer, startAdminServer } from '../telemetry/admin-server.ts';
import type { Logger } from '../telemetry/logger.ts';
import { collectProcessMetrics } from '../telemetry/metrics.ts';
import type { Component, Endpoint, RunningComponent } from './component.ts';
import { DataDir } from './data-dir.ts';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  components: readonly Component[];
  /** Where endpoint lines go (stdout by default). */
  print?: (line: string) => void;
}

export interface Service {
  readonly endpoints: readonly Endpoint[];
  /** Stops everything; resolves with true if it all stopped within the shutdown timeout. */
  stop(): Promise<boolean>;
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, logger } = options;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = await DataDir.open(config.data_dir);
  const running: RunningComponent[] = [];
  let admin: AdminServer | undefined;
  collectProcessMetrics();

  const stopAll = async (): Promise<boolean> => {
    const deadline = Date.now() + config.shutdown_timeout_ms;
    let clean = true;
    for (const component of [...running].reverse()) {
      const remaining = Math.max(0, deadline - Date.now());
      const outcome = await withTimeout(component.stop(), remaining);
      if (outcome === 'timeout') {
        clean = false;
        logger.error(
          { code: 'LOGLANE_ERR_SHUTDOWN_TIMEOUT', component: component.name, shutdown_timeout_ms: config.shutdown_timeout_ms },
          `${component.name} did not stop within shutdown_timeout_ms`,
        );
      } else if (outcome instanceof Error) {
        clean = false;
        logger.error({ err: outcome, component: component.name }, `${component.name} failed to stop cleanly`);
      }
    }
    running.length = 0;
    await admin?.close();
    dataDir.release();
    return clean;
  };

  try {
    for (const component of options.components) {
      if (!component.enabled(config)) continue;
      const endpoints = running.flatMap((c) => c.endpoints);
      const started = await component.start({ config, dataDir, logger: logger.child({ component: component.name }), endpoints });
      running.push(started);
    }
    if (config.admin.enabled) {
      admin = await startAdminServer({
        host: config.admin.host,
        port: config.admin.port,
        logger,
        readiness: () => {
          const components = Object.fromEntries(running.map((c) => [c.name, c.ready()]));
          return { ready: Object.values(components).every(Boolean), components };
        },
      });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  const endpoints: Endpoint[] = running.flatMap((c) => c.endpoints);
  if (admin) endpoints.push({ name: 'admin', host: admin.host, port: admin.port });
  const width = Math.max(...endpoints.map((e) => e.name.length), 5) + 2;
  for (const endpoint of endpoints) print(`${endpoint.name.padEnd(width)}${formatHostPort(endpoint.host, endpoint.port)}`);
  logger.info({ endpoints: endpoints.map((e) => `${e.name}=${formatHostPort(e.host, e.port)}`) }, 'loglane is up');

  let stopping: Promise<boolean> | undefined;
  return {
    endpoints,
    stop: () => {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

/** Runs a service until SIGINT or SIGTERM, then shuts it down; returns the exit code. */
export async function runServiceUntilSignal(options: ServiceOptions): Promise<number> {
  const service = await startService(options);
  return await new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        options.logger.warn({ signal }, 'second signal: exiting without waiting for shutdown');
        process.exit(130);
      }
      options.logger.info({ signal }, 'shutting down');
      service.stop().then(
        (clean) => resolve(clean ? 0 : 1),
        (error: unknown) => {
          options.logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<'ok' | 'timeout' | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise.then(() => 'ok' as const), timeout]);
  } catch (error) {
    return error instanceof Error ? error : new LoglaneError('LOGLANE_ERR_SHUTDOWN_TIMEOUT', String(error), { retriable: false });
  } finally {
    clearTimeout(timer);
  }
}
