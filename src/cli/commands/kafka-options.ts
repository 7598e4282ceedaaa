/** The options every Kafka admin command shares: where the cluster is, and the output format. */
import { type Command, InvalidArgumentError } from 'commander';
import { LoglaneError } from '../../errors/loglane-error.ts';
import { commandContext } from '../context.ts';

/** The Kafka client loads slowly (it compiles its option schemas): only commands that talk to Kafka load it. */
export function loadAdmin(): Promise<typeof import('../../kafka/admin.ts')> {
  return import('../../kafka/admin.ts');
}

export function withKafkaOptions(command: Command): Command {
  return command
    .option('-b, --bootstrap <servers>', 'Kafka bootstrap servers host:port[,host:port] (default: the embedded broker of the configuration)')
    .option('--json', 'print JSON instead of a table');
}

export async function kafkaTarget(command: Command): Promise<{ bootstrap: string[]; json: boolean }> {
  const options = command.optsWithGlobals<{ bootstrap?: string; json?: boolean }>();
  let bootstrap = options.bootstrap;
  if (bootstrap === undefined) {
    const { config } = await commandContext(command);
    const { advertised_host, advertised_port, host, port } = config.broker;
    const wildcard = host === '0.0.0.0' || host === '::';
    bootstrap = `${advertised_host ?? (wildcard ? '127.0.0.1' : host)}:${advertised_port ?? port}`;
  }
  return { bootstrap: parseBootstrap(bootstrap), json: options.json === true };
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

export function parseBootstrap(value: string): string[] {
  const servers = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const server of servers) {
    if (!/^[^\s:]+:\d+$/.test(server) && !/^\[[0-9a-fA-F:]+\]:\d+$/.test(server)) {
      throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', `--bootstrap expects host:port[,host:port...], got "${server}"`, { retriable: false });
    }
  }
  if (servers.length === 0) throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', '--bootstrap is empty', { retriable: false });
  return servers;
}

/** Parses repeated `--topic-config key=value` options. */
export function collectConfig(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
