import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import type { BuiltinCommand } from './builtin-command.js';
import { resolveUserArg } from './builtin-command.js';

@injectable()
export class AuditCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'audit', description: 'Shows the latest audit log entries',
    usage: 'audit [n] [--user <user>] [--command <name>]',
    args: [
      { name: 'n', type: 'int', default: 10, description: 'how many entries (at most 50)' },
      { name: 'user', type: 'user', flag: true, description: 'only this user' },
      { name: 'command', type: 'string', flag: true, description: 'only this command' },
    ],
    permission: 'audit:read', risk: 'low',
  };

  constructor(@inject(AuditLog) private readonly audit: AuditLog) {}

  async run(invocation: Invocation): Promise<string> {
    const { n, user, command } = invocation.args;
    const limit = Math.min(Math.max(Number(n ?? 10), 1), 50);
    const records = await this.audit.list({
      limit,
      actor: typeof user === 'string' ? resolveUserArg(user, invocation.platform) : undefined,
      command: typeof command === 'string' ? command : undefined,
    });
    if (records.length === 0) return 'No audit entries match.';
    const lines = records.map((r) => {
      const what = [r.action, r.command ? `\`${r.command}\`` : '', r.outcome ?? '', r.durationMs !== undefined && r.durationMs !== null ? `${r.durationMs} ms` : '']
        .filter(Boolean).join(' ');
      return `#${r.seq} ${r.at.slice(0, 19).replace('T', ' ')} ${r.actor} ${what}`;
    });
    return [`Last ${records.length} audit entries (newest first):`, ...lines].join('\n');
  }
}
