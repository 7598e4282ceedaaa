import type { Command } from 'commander';
import { COMPONENTS } from '../../runtime/components.ts';
import { runServiceUntilSignal } from '../../runtime/service.ts';
import { commandContext } from '../context.ts';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('start every loglane component on this machine and print their endpoints')
    .action(async (_options: unknown, command: Command) => {
      const { config, logger } = await commandContext(command);
      process.exitCode = await runServiceUntilSignal({ config, logger, components: COMPONENTS });
    });
}
