/**
 * The loglane broker in its own process (`loglane broker`), as an operator runs it, so
 * its CPU is not shared with the benchmark's event loop: a temporary config with
 * `data_dir` under `dir`, free ports, `log.level: warn`. Stops with SIGTERM (a clean
 * shutdown, which also lets `--cpu-prof` write its profile).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, type ServerChild, startServer } from './child.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BrokerProcessOptions {
  /** Folder for the config file and the data directory. */
  dir: string;
  /** Extra `broker:` keys, as YAML-compatible JSON values. */
  broker?: Record<string, unknown>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeFlags?: readonly string[];
}

export interface BrokerProcess {
  readonly bootstrap: string;
  readonly pid: number;
  /** CPU seconds the broker process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function startBrokerProcess(options: BrokerProcessOptions): Promise<BrokerProcess> {
  const configFile = path.join(options.dir, 'loglane.yml');
  // JSON is valid YAML, so the config needs no YAML writer.
  const config = {
    data_dir: path.join(options.dir, 'data'),
    log: { level: 'warn', format: 'json' },
    admin: { port: 0 },
    broker: { port: 0, ...options.broker },
  };
  fs.writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const server: ServerChild = startServer(
    process.execPath,
    [...(options.nodeFlags ?? []), path.join(ROOT, 'src/cli/main.ts'), 'broker', '--config', configFile],
    { cwd: ROOT },
  );
  let port: string;
  try {
    [, port] = (await server.waitFor(/^kafka\s+127\.0\.0\.1:(\d+)$/, 60_000)) as unknown as [string, string];
  } catch (error) {
    await server.stop('SIGKILL');
    throw error;
  }
  const pid = server.child.pid!;
  return {
    bootstrap: `127.0.0.1:${port}`,
    pid,
    cpuSeconds: () => cpuSeconds(pid),
    async stop() {
      await server.stop('SIGTERM');
      const { code, signal } = await server.exited;
      if (code !== 0) process.stderr.write(`broker exited with ${code ?? signal}: ${server.stderrTail().trim()}\n`);
    },
  };
}
