import { randomBytes } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Actor } from '../../core/chat-event.js';
import type { Invocation, ParsedArgs } from '../../core/command.js';
import { CommandRegistry } from '../../routing/command-registry.js';
import { Gate } from '../../routing/gate.js';
import { ConsoleHttpError } from './http-io.js';

/** Admin actions of the console happen in no chat channel; channel-scoped rules and policies never match it. */
export const CONSOLE_CHANNEL = { id: 'local:channel:console', name: 'console', isDirect: true } as const;

/**
 * An admin button of the console is the chat command of the same name (`plugin grant`, `roles revoke`) pressed
 * elsewhere, so it must clear the same gate: the command's permission, RBAC rules on its arguments, and any approval
 * policy. An action that would need approval is refused here and has to be asked for in chat, where it can be held.
 */
@injectable()
export class ConsoleGate {
  constructor(
    @inject(Gate) private readonly gate: Gate,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
  ) {}

  async check(actor: Actor, commandName: string, args: ParsedArgs, text: string): Promise<void> {
    const command = this.registry.get(commandName);
    if (!command) throw new ConsoleHttpError(404, 'E_NOT_FOUND', `the ${commandName} command is not available, so the console cannot do it either`);
    const id = `console-${randomBytes(4).toString('hex')}`;
    const invocation: Invocation = {
      id, command: command.spec.name, plugin: command.plugin, args, text, platform: 'local', actor, channel: { ...CONSOLE_CHANNEL },
      source: { channelId: CONSOLE_CHANNEL.id, messageId: id },
    };
    const explanation = await this.gate.explain(invocation, command);
    if (!explanation.permission.allowed) {
      throw new ConsoleHttpError(403, 'E_DENIED', explanation.permission.reason ?? `${actor.name} may not run ${commandName}`);
    }
    if (explanation.approval) {
      throw new ConsoleHttpError(403, 'E_DENIED', `\`${text}\` ${explanation.approval.split(';')[0]}; ask for it in chat, where it can wait for approval`);
    }
  }
}
