/**
 * What every command needs: the validated configuration and a logger, built from the
 * global options (--config, --log-level) once per command.
 */
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/load.ts';
import { LOG_LEVELS, type LogLevel } from '../config/schema.ts';
import { LoglaneError } from '../errors/loglane-error.ts';
import { createLogger, type Logger } from '../telemetry/logger.ts';

export interface GlobalOptions {
  config?: string;
  logLevel?: string;
}

export interface CommandContext {
  config: Config;
  configFile: string | null;
  logger: Logger;
}

export async function commandContext(command: Command): Promise<CommandContext> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const { config, file } = await loadConfig({ file: options.config });
  const level = options.logLevel ?? config.log.level;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', `--log-level must be one of ${LOG_LEVELS.join(', ')}; got "${level}"`, { retriable: false });
  }
  const logger = createLogger({ level: level as LogLevel, format: config.log.format });
  return { config, configFile: file, logger };
}
