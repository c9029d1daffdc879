import { inject, injectable } from 'inversify';
import { describeGrant } from '../../../plugins/plugin-grants.js';
import { PluginManager } from '../../../plugins/plugin-manager.js';
import type { PluginStatus } from '../../../plugins/plugin-status.js';
import { RbacService } from '../../../rbac/rbac-service.js';
import { requirePermission } from '../console-access.js';
import { ConsoleGate } from '../console-gate.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleHttpError, requiredString, sendJson } from '../http-io.js';

const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,39}$/;

/** A plugin for the page: what it asks for against what it was granted, in plain words, and how it loaded. */
export function pluginView(p: PluginStatus) {
  const capabilities = p.manifest?.capabilities ?? {};
  const asked = p.requested.map((grant) => ({ grant, words: describeGrant(grant, capabilities), granted: p.granted.includes(grant) }));
  const extra = p.granted.filter((g) => !p.requested.includes(g)).map((grant) => ({ grant, words: describeGrant(grant, capabilities), granted: true }));
  return {
    name: p.name, version: p.version, description: p.description, bundled: p.bundled, state: p.state, problems: p.problems,
    capabilities: [...asked, ...extra],
    commands: (p.manifest?.commands ?? []).map((c) => ({ name: c.name, description: c.description, risk: c.risk, permission: c.permission ?? `use:${p.name}` })),
    limits: p.limits ?? null, loadMs: p.loadMs ?? null,
  };
}

/** Plugins and their grants (plugin:read); grant and revoke (plugin:admin, and the gate of `plugin grant`/`plugin revoke`), audited by the plugin manager. */
@injectable()
export class PluginsApi implements ConsoleApi {
  constructor(
    @inject(PluginManager) private readonly plugins: PluginManager,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(ConsoleGate) private readonly gate: ConsoleGate,
  ) {}

  routes(): ConsoleRoute[] {
    return [
      { method: 'GET', path: '/api/plugins', handle: (r) => this.list(r) },
      { method: 'POST', path: '/api/plugins/:name/grant', handle: (r) => this.change(r, 'grant') },
      { method: 'POST', path: '/api/plugins/:name/revoke', handle: (r) => this.change(r, 'revoke') },
    ];
  }

  private list(request: ConsoleRequest): void {
    const { actor } = request.user();
    requirePermission(this.rbac, actor, 'plugin:read', 'seeing the plugins');
    sendJson(request.res, 200, { plugins: this.plugins.list().map(pluginView), canAdmin: this.rbac.can(actor, 'plugin:admin') });
  }

  private async change(request: ConsoleRequest, kind: 'grant' | 'revoke'): Promise<void> {
    const name = request.params.name ?? '';
    if (!PLUGIN_NAME.test(name)) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${name.slice(0, 50)}" is not a plugin name`);
    const capability = requiredString(await request.body(), 'capability', 300).trim();
    if (capability.length === 0 || /\s/.test(capability)) {
      throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${capability}" is not a capability (net:<host>, secrets:<NAME>, storage, post:<alias>, runbooks:<name>, webhook, schedule, or all)`);
    }
    const { actor } = request.user();
    await this.gate.check(actor, `plugin ${kind}`, { name, capability }, `plugin ${kind} ${name} ${capability}`);
    const status = kind === 'grant'
      ? await this.plugins.grant(name, capability, actor.id)
      : await this.plugins.revoke(name, capability, actor.id);
    sendJson(request.res, 200, { plugin: pluginView(status) });
  }
}
