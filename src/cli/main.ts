/**
 * The `loglane` command line. Components add their subcommands in `register*` functions;
 * this file only assembles them and turns failures into messages and exit codes:
 * 0 success, 1 runtime failure, 2 usage or configuration error.
 */
// Partition logs do their fsyncs and reads on libuv's thread pool; with the default 4
// threads, reads queue behind fsyncs of other partitions. Must be set before first use.
process.env.UV_THREADPOOL_SIZE ??= '16';

import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { formatIssue } from '../config/load.ts';
import { isLoglaneError } from '../errors/loglane-error.ts';
import { registerConfig } from './commands/config.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerGroups } from './commands/groups.ts';
import { registerServe } from './commands/serve.ts';
import { registerTopics } from './commands/topics.ts';
import { registerUp } from './commands/up.ts';

export function buildProgram(): Command {
  const program = new Command('loglane')
    .description('loglane: ship logs into Kafka topics, index them into Elasticsearch, search them')
    .version(packageJson.version, '-V, --version')
    .option('-c, --config <file>', 'configuration file (default: ./loglane.yml if present, or $LOGLANE_CONFIG)')
    .option('--log-level <level>', 'override log.level: trace, debug, info, warn, error, fatal or silent')
    .showHelpAfterError()
    .exitOverride();
  registerUp(program);
  registerServe(program);
  registerTopics(program);
  registerGroups(program);
  registerDlq(program);
  registerConfig(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed help, the version or the usage error
    return error.exitCode === 0 ? 0 : 2;
  }
  if (isLoglaneError(error)) {
    const issues = error.context.issues as Parameters<typeof formatIssue>[0][] | undefined;
    if (Array.isArray(issues)) {
      process.stderr.write(`loglane: invalid configuration (${error.code}):\n`);
      for (const issue of issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
    } else {
      process.stderr.write(`loglane: ${error.message} (${error.code})\n`);
    }
    return error.code.startsWith('LOGLANE_ERR_CONFIG') || error.code === 'LOGLANE_ERR_CLI_USAGE' ? 2 : 1;
  }
  process.stderr.write(`loglane: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Every server has stopped by now (service commands return only after shutdown); a
  // client library's idle socket or timer must not keep a finished command alive.
  setImmediate(() => process.exit(code));
}
