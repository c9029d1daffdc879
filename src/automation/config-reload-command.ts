import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { CommandSpec } from '../core/command.js';
import { ConfigReloader } from './config-reloader.js';
import { formatReloadReport } from './reload-report.js';

/** `config reload` in chat: reads the configuration file again and answers with what changed. */
@injectable()
export class ConfigReloadCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'config reload', description: 'Reads the configuration file again and applies its commands without a restart',
    args: [], permission: 'config:reload', risk: 'low',
  };

  constructor(@inject(ConfigReloader) private readonly reloader: ConfigReloader) {}

  async run(): Promise<string> {
    return formatReloadReport(await this.reloader.reload('command'));
  }
}
