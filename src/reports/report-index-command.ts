import { injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { UserError } from '../core/errors.js';

const REPORTS = [
  '`report deploys [--since 30d] [--service s]`: deployment frequency, lead time, change failure rate, time to restore',
  '`report commands [--since 30d]`: most used commands, by whom, failure and denial rates, approval waits',
  '`report wishlist`: the most wanted missing commands',
];

/** `report` alone (or with an unknown name) lists the reports, so a typo is not taken for a wish. */
@injectable()
export class ReportIndexCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'report', description: 'Lists the reports: deploys, commands, wishlist',
    usage: 'report <deploys|commands|wishlist> [options]',
    args: [{ name: 'name', type: 'rest', description: 'a report name' }],
    permission: 'reports:read', risk: 'low',
  };

  async run(invocation: Invocation): Promise<string> {
    const name = typeof invocation.args.name === 'string' ? invocation.args.name.trim() : '';
    if (name !== '') throw new UserError('E_NOT_FOUND', `There is no report "${name.split(/\s+/)[0]}". Reports:\n${REPORTS.join('\n')}`);
    return ['Reports (each with a chart where the chat shows images):', ...REPORTS].join('\n');
  }
}
