import { inject, injectable } from 'inversify';
import type { CommandSpec, Invocation } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { RbacService } from '../rbac/rbac-service.js';
import { CommandRegistry, type RegisteredCommand } from '../routing/command-registry.js';
import { suggest } from '../routing/suggest.js';
import type { BuiltinCommand } from './builtin-command.js';

@injectable()
export class HelpCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'help', description: 'Lists the commands you may run, or explains one',
    usage: 'help [command]', args: [{ name: 'command', type: 'rest', description: 'a command name' }],
    permission: 'core:help', risk: 'low', readOnly: true,
  };

  constructor(
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(RbacService) private readonly rbac: RbacService,
  ) {}

  async run(invocation: Invocation): Promise<string> {
    const name = typeof invocation.args.command === 'string' ? invocation.args.command.trim() : '';
    return name ? this.explain(name) : this.list(invocation);
  }

  private list(invocation: Invocation): string {
    const byPlugin = new Map<string, RegisteredCommand[]>();
    for (const command of this.registry.all()) {
      if (!this.rbac.mayRun(invocation.actor, command.spec).allowed) continue;
      byPlugin.set(command.plugin, [...(byPlugin.get(command.plugin) ?? []), command]);
    }
    const plugins = [...byPlugin.keys()].sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)));
    const sections = plugins.map((plugin) => {
      const commands = (byPlugin.get(plugin) ?? []).sort((a, b) => a.spec.name.localeCompare(b.spec.name));
      return [`**${plugin}**`, ...commands.map((c) => `  \`${c.spec.name}\` ${c.spec.description}${c.spec.risk === 'high' ? ' (needs approval)' : ''}`)].join('\n');
    });
    return ['Commands you may run (`help <command>` for details):', ...sections].join('\n');
  }

  private explain(name: string): string {
    const command = this.registry.get(name) ?? this.registry.get(name.split(/\s+/)[0] ?? '');
    if (!command) {
      const close = suggest(name, this.registry.names());
      throw new UserError('E_UNKNOWN_COMMAND', `There is no command \`${name}\`.${close.length > 0 ? ` Did you mean ${close.map((c) => `\`${c}\``).join(', ')}?` : ''}`);
    }
    const { spec } = command;
    const args = spec.args.map((a) => {
      const type = a.type === 'enum' ? `one of ${(a.values ?? []).join('|')}` : a.type;
      const extra = [a.required ? 'required' : 'optional', a.default !== undefined ? `default ${String(a.default)}` : ''].filter(Boolean).join(', ');
      return `  ${a.flag ? `--${a.name}` : `<${a.name}>`} (${type}; ${extra})${a.description ? ` ${a.description}` : ''}`;
    });
    return [
      `\`${spec.name}\` (${command.plugin}): ${spec.description}`,
      `usage: ${command.usage}`,
      ...(args.length > 0 ? ['arguments:', ...args] : []),
      ...(spec.aliases?.length ? [`aliases: ${spec.aliases.join(', ')}`] : []),
      `risk: ${spec.risk}; permission: ${spec.readOnly ? 'none (read-only, open to everyone)' : spec.permission}`,
    ].join('\n');
  }
}
