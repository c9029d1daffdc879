import type { CommandResult, Invocation } from '../core/command.js';
import type { CapabilityBroker } from '../capabilities/capability-broker.js';
import { toMessage } from '../capabilities/capability-args.js';
import { OpsroomError } from '../core/errors.js';
import type { SecretHandles } from '../capabilities/secrets/secret-handles.js';
import type { RbacService } from '../rbac/rbac-service.js';
import type { CallContext, SandboxEntry, SandboxHost } from '../sandbox/sandbox-host.js';
import type { EffectiveGrants } from './plugin-grants.js';

/** One loaded plugin as the invoker needs it. */
export interface PluginRuntime {
  name: string;
  grants: EffectiveGrants;
  handles: SecretHandles;
  config: Record<string, unknown>;
}

/** Calls into a plugin's sandbox with the right ctx data and capability scope, and checks what comes back. */
export class PluginInvoker {
  constructor(
    private readonly sandbox: SandboxHost,
    private readonly broker: CapabilityBroker,
    private readonly rbac: RbacService,
  ) {}

  async command(runtime: PluginRuntime, functionName: string, invocation: Invocation): Promise<CommandResult> {
    const context: CallContext = {
      invocation: {
        id: invocation.id, command: invocation.command, platform: invocation.platform,
        channel: { id: invocation.channel.id, ...(invocation.channel.name ? { name: invocation.channel.name } : {}) },
        user: { id: invocation.actor.id, name: invocation.actor.name }, roles: this.rbac.rolesOf(invocation.actor),
        text: invocation.text, ...(invocation.threadId ? { threadId: invocation.threadId } : {}),
      },
      secrets: runtime.handles.placeholders(),
      config: runtime.config,
    };
    const result = await this.call(runtime, { kind: 'command', name: functionName }, context, invocation.args, invocation, 'command');
    if (result === undefined || result === null) return undefined;
    try {
      return toMessage(result, `the reply of ${runtime.name}`);
    } catch (error) {
      throw new OpsroomError('E_PLUGIN_FAILED', `${runtime.name} returned something that is not a reply: ${(error as Error).message}`);
    }
  }

  /** Webhooks, schedules and setup: no invocation, no conversation to reply in. */
  event(runtime: PluginRuntime, entry: SandboxEntry, payload: unknown): Promise<unknown> {
    const context: CallContext = { secrets: runtime.handles.placeholders(), config: runtime.config };
    return this.call(runtime, entry, context, payload, undefined, entry.kind);
  }

  private call(runtime: PluginRuntime, entry: SandboxEntry, context: CallContext, payload: unknown, invocation: Invocation | undefined, trigger: string): Promise<unknown> {
    const handler = this.broker.handlerFor({ plugin: runtime.name, grants: runtime.grants, handles: runtime.handles, invocation, trigger });
    return this.sandbox.call(runtime.name, entry, context, payload, handler);
  }
}
