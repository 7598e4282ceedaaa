import type { Command } from 'commander';
import { COMPONENTS } from '../../runtime/components.ts';
import { runServiceUntilSignal } from '../../runtime/service.ts';
import { commandContext } from '../context.ts';

/** `loglane <component>`: runs one component on its own (with the admin listener), e.g. `loglane broker`. */
export function registerServe(program: Command): void {
  for (const component of COMPONENTS) {
    program
      .command(component.name)
      .aliases([...(component.aliases ?? [])])
      .description(`run only the ${component.name} (with the admin listener) until SIGINT/SIGTERM`)
      .action(async (_options: unknown, command: Command) => {
        const { config, logger } = await commandContext(command);
        process.exitCode = await runServiceUntilSignal({ config, logger, components: [{ ...component, enabled: () => true }] });
      });
  }
}
