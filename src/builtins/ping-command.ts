import { injectable } from 'inversify';
import type { CommandSpec } from '../core/command.js';
import type { BuiltinCommand } from './builtin-command.js';

@injectable()
export class PingCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'ping', description: 'Checks that opsroom is listening', args: [], permission: 'core:ping', risk: 'low', readOnly: true,
  };

  async run(): Promise<string> {
    return 'pong';
  }
}
