import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfig } from '../../config/load.ts';
import type { GlobalOptions } from '../context.ts';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('check or show the configuration');
  config
    .command('check [file]')
    .description('validate a configuration file without starting anything (exit 0 if valid, 2 if not)')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = await loadConfig({ file: file ?? globals.config });
      process.stdout.write(loaded.file ? `ok: ${loaded.file}\n` : 'ok: no configuration file, defaults apply\n');
    });
  config
    .command('show [file]')
    .description('print the effective configuration (defaults and ${VAR} references resolved) as YAML')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = await loadConfig({ file: file ?? globals.config });
      process.stdout.write(stringify(loaded.config));
    });
}
