import type { Invocation } from '../core/command.js';
import { describeForChat } from '../core/errors.js';
import { qualify } from '../core/identity.js';
import { OpsroomApp } from '../di/opsroom-app.js';
import { RbacService } from '../rbac/rbac-service.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { Gate } from '../routing/gate.js';
import { resolveCommand } from '../routing/resolve-command.js';
import { loggerFor, readConfig, reportFailure } from './cli-support.js';

/**
 * `opsroom try "<command line>" --as <user>`: how the line parses, which command and plugin it hits, whether the
 * user may run it and which approval policy applies, without running anything. Exit 0 when it would run (or wait
 * for approval), 3 when it would be refused.
 */
export async function runTry(line: string, options: { as: string; config?: string }, write = (t: string) => process.stdout.write(t)): Promise<number> {
  let app: OpsroomApp | undefined;
  try {
    const config = readConfig(options.config);
    const { logger } = loggerFor(config, false, true);
    app = await OpsroomApp.start({ config, logger, adapters: [], http: false });
    const text = line.trim().startsWith(config.bot.prefix) ? line.trim().slice(config.bot.prefix.length) : line.trim();
    const out: string[] = [`line:       ${text}`];
    let resolution;
    try {
      resolution = resolveCommand(app.get<CommandRegistry>(CommandRegistry), text);
    } catch (error) {
      write([...out, `parse:      refused: ${describeForChat(error, 'try')}`, 'nothing was run'].join('\n') + '\n');
      return 3;
    }
    if (resolution.kind !== 'found') {
      const unknown = resolution.kind === 'unknown' ? `no command \`${resolution.name}\`${resolution.suggestions.length ? ` (closest: ${resolution.suggestions.join(', ')})` : ''}` : 'empty line';
      write([...out, `command:    ${unknown}`, 'nothing was run'].join('\n') + '\n');
      return 3;
    }
    const { command, args, tokens } = resolution;
    const actorId = options.as.includes(':') ? options.as : qualify('local', 'user', options.as);
    const actor = { id: actorId, name: options.as, isBot: false, groups: [] };
    const invocation: Invocation = {
      id: 'dry-run', command: command.spec.name, plugin: command.plugin, args, text, platform: 'local', actor,
      channel: { id: 'local:channel:ops', name: 'ops', isDirect: false }, source: { channelId: 'local:channel:ops', messageId: 'dry-run' },
    };
    const explanation = await app.get<Gate>(Gate).explain(invocation, command);
    const roles = app.get<RbacService>(RbacService).rolesOf(actor);
    out.push(
      `tokens:     ${tokens.map((t) => (t.quoted ? JSON.stringify(t.value) : t.value)).join(' | ')}`,
      `command:    ${command.spec.name} (plugin ${command.plugin}, risk ${command.spec.risk})`,
      `arguments:  ${Object.entries(args).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') || '(none)'}`,
      `caller:     ${actorId}, roles: ${roles.join(', ') || 'none'}`,
      `permission: ${explanation.permission.allowed ? `allowed (${command.spec.readOnly ? 'read-only, open to everyone' : command.spec.permission})` : `denied: ${explanation.permission.reason ?? ''}`}`,
      `approval:   ${explanation.approval ?? 'none needed'}`,
      'nothing was run',
    );
    write(`${out.join('\n')}\n`);
    return explanation.permission.allowed ? 0 : 3;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await app?.stop().catch(() => undefined);
  }
}
