import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { formatPluginInfo, formatPluginList } from './format-plugins.js';
import { PluginManager } from './plugin-manager.js';

const nameArg = { name: 'name', type: 'string', required: true, description: 'the plugin' } as const;
const grantArg = { name: 'capability', type: 'string', required: true, description: 'net:<host>, secrets:<NAME>, storage, post:<alias>, runbooks:<name>, webhook, schedule, or all' } as const;

function nameOf(invocation: Invocation): string {
  return String(invocation.args.name);
}

@injectable()
export class PluginListCommand implements BuiltinCommand {
  readonly spec: CommandSpec = { name: 'plugin list', description: 'Lists the plugins and whether they loaded', args: [], permission: 'plugin:read', risk: 'low' };
  constructor(@inject(PluginManager) private readonly plugins: PluginManager) {}
  async run(): Promise<string> {
    return formatPluginList(this.plugins.list());
  }
}

@injectable()
export class PluginInfoCommand implements BuiltinCommand {
  readonly spec: CommandSpec = { name: 'plugin info', description: 'Shows what a plugin asks for and was granted, its commands and limits', args: [nameArg], permission: 'plugin:read', risk: 'low' };
  constructor(@inject(PluginManager) private readonly plugins: PluginManager) {}
  async run(invocation: Invocation): Promise<string> {
    const status = this.plugins.info(nameOf(invocation));
    if (!status) throw new UserError('E_NOT_FOUND', `there is no plugin ${nameOf(invocation)}; \`plugin list\` shows them`);
    return formatPluginInfo(status);
  }
}

@injectable()
export class PluginGrantCommand implements BuiltinCommand {
  readonly spec: CommandSpec = { name: 'plugin grant', description: 'Grants a plugin a capability it asks for', args: [nameArg, grantArg], permission: 'plugin:admin', risk: 'medium' };
  constructor(@inject(PluginManager) private readonly plugins: PluginManager) {}
  async run(invocation: Invocation): Promise<string> {
    const status = await this.plugins.grant(nameOf(invocation), String(invocation.args.capability), invocation.actor.id);
    return `Granted ${String(invocation.args.capability)} to ${status.name}; it is ${status.state}.\nGranted now: ${status.granted.join(', ') || 'nothing'}`;
  }
}

@injectable()
export class PluginRevokeCommand implements BuiltinCommand {
  readonly spec: CommandSpec = { name: 'plugin revoke', description: 'Takes a capability back from a plugin', args: [nameArg, grantArg], permission: 'plugin:admin', risk: 'medium' };
  constructor(@inject(PluginManager) private readonly plugins: PluginManager) {}
  async run(invocation: Invocation): Promise<string> {
    const status = await this.plugins.revoke(nameOf(invocation), String(invocation.args.capability), invocation.actor.id);
    return `Revoked ${String(invocation.args.capability)} from ${status.name}; it is ${status.state}.\nGranted now: ${status.granted.join(', ') || 'nothing'}`;
  }
}

@injectable()
export class PluginEnableCommand implements BuiltinCommand {
  readonly spec: CommandSpec = { name: 'plugin enable', description: 'Enables a plugin', args: [nameArg], permission: 'plugin:admin', risk: 'medium' };
  constructor(@inject(PluginManager) private readonly plugins: PluginManager) {}
  async run(invocation: Invocation): Promise<string> {
    const status = await this.plugins.setEnabled(nameOf(invocation), true, invocation.actor.id);
    return status.state === 'loaded' ? `${status.name} is enabled and loaded.` : `${status.name} is enabled but ${status.state}: ${status.problems.join('; ')}`;
  }
}

@injectable()
export class PluginDisableCommand implements BuiltinCommand {
  readonly spec: CommandSpec = { name: 'plugin disable', description: 'Disables a plugin; its commands disappear', args: [nameArg], permission: 'plugin:admin', risk: 'medium' };
  constructor(@inject(PluginManager) private readonly plugins: PluginManager) {}
  async run(invocation: Invocation): Promise<string> {
    const status = await this.plugins.setEnabled(nameOf(invocation), false, invocation.actor.id);
    return `${status.name} is disabled.`;
  }
}

export const PLUGIN_ADMIN_COMMANDS = [PluginListCommand, PluginInfoCommand, PluginGrantCommand, PluginRevokeCommand, PluginEnableCommand, PluginDisableCommand];
