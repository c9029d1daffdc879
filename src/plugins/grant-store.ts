import { inject, injectable, optional } from 'inversify';
import { Clock, SystemClock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { checkPluginName } from '../capabilities/plugin-name.js';
import { Database } from '../storage/database.js';
import { portableText } from '../storage/portable-text.js';

export type GrantState = 'granted' | 'revoked';

/** One admin decision on one grant of a plugin. */
export interface GrantChange {
  /** e.g. `net:api.github.com`, `secrets:GITHUB_TOKEN`, `storage`, `post:builds`, `runbooks:restart-app`, `webhook`, `schedule`. */
  grant: string;
  state: GrantState;
  /** The plugin version the admin decided on. */
  pluginVersion: string;
  actor: string;
  at: Date;
}

/** A capability name, then for the capabilities that take one a `:detail` without spaces or controls. */
const GRANT = /^(?:(?:net|secrets|post|runbooks):[^\s\u0000-\u001f\u007f]{1,253}|storage|webhook|schedule)$/;
const MAX_TEXT = 200;

/** The admins' decisions on plugins, which the plugin manager lays over the configuration's seed. */
export const GrantStore = Symbol('GrantStore');
export interface GrantStore {
  /** Every grant decision stored for the plugin, ordered by grant. */
  changes(plugin: string): Promise<GrantChange[]>;
  /** Records (or replaces) the decision on one grant. */
  set(plugin: string, pluginVersion: string, grant: string, state: GrantState, actor: string): Promise<void>;
  /** Whether an admin enabled the plugin; undefined when nobody ever decided. */
  enabled(plugin: string): Promise<boolean | undefined>;
  setEnabled(plugin: string, enabled: boolean, actor: string): Promise<void>;
  /** Removes the plugin's grant decisions and its enabled state (on uninstall). */
  forget(plugin: string): Promise<void>;
}

function checkGrant(grant: unknown): string {
  if (typeof grant !== 'string' || !GRANT.test(grant)) {
    const shown = typeof grant === 'string' ? JSON.stringify(grant) : typeof grant;
    throw new UserError('E_BAD_ARGS', `grant ${shown} is not valid (expected storage, webhook, schedule, or net:<host>, secrets:<NAME>, post:<alias>, runbooks:<name>)`);
  }
  return grant;
}

function checkState(state: unknown): GrantState {
  if (state !== 'granted' && state !== 'revoked') {
    throw new UserError('E_BAD_ARGS', `grant state ${JSON.stringify(state) ?? String(state)} is not valid (expected granted or revoked)`);
  }
  return state;
}

function checkField(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
    throw new UserError('E_BAD_ARGS', `${what} must be a non-empty string of at most ${MAX_TEXT} characters, got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value}`);
  }
  return portableText(value);
}

@injectable()
export class GrantStoreImpl implements GrantStore {
  constructor(
    @inject(Database) private readonly database: Database,
    @inject(Clock) @optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  async changes(plugin: string): Promise<GrantChange[]> {
    const rows = await this.database.db
      .selectFrom('plugin_grants')
      .select(['grant', 'state', 'plugin_version', 'actor', 'at'])
      .where('plugin', '=', checkPluginName(plugin))
      .orderBy('grant')
      .execute();
    return rows.map((row) => ({ grant: row.grant, state: row.state, pluginVersion: row.plugin_version, actor: row.actor, at: new Date(row.at) }));
  }

  async set(plugin: string, pluginVersion: string, grant: string, state: GrantState, actor: string): Promise<void> {
    const row = {
      plugin: checkPluginName(plugin),
      grant: checkGrant(grant),
      state: checkState(state),
      plugin_version: checkField(pluginVersion, 'pluginVersion'),
      actor: checkField(actor, 'actor'),
      at: this.clock.now().toISOString(),
    };
    await this.database.db
      .insertInto('plugin_grants')
      .values(row)
      .onConflict((conflict) => conflict.columns(['plugin', 'grant']).doUpdateSet((eb) => ({
        state: eb.ref('excluded.state'),
        plugin_version: eb.ref('excluded.plugin_version'),
        actor: eb.ref('excluded.actor'),
        at: eb.ref('excluded.at'),
      })))
      .execute();
  }

  async enabled(plugin: string): Promise<boolean | undefined> {
    const row = await this.database.db
      .selectFrom('plugin_state')
      .select('enabled')
      .where('plugin', '=', checkPluginName(plugin))
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.enabled) === 1;
  }

  async setEnabled(plugin: string, enabled: boolean, actor: string): Promise<void> {
    if (typeof enabled !== 'boolean') throw new UserError('E_BAD_ARGS', `enabled must be true or false, got ${typeof enabled}`);
    const row = { plugin: checkPluginName(plugin), enabled: enabled ? 1 : 0, actor: checkField(actor, 'actor'), at: this.clock.now().toISOString() };
    await this.database.db
      .insertInto('plugin_state')
      .values(row)
      .onConflict((conflict) => conflict.column('plugin').doUpdateSet((eb) => ({
        enabled: eb.ref('excluded.enabled'),
        actor: eb.ref('excluded.actor'),
        at: eb.ref('excluded.at'),
      })))
      .execute();
  }

  async forget(plugin: string): Promise<void> {
    checkPluginName(plugin);
    await this.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('plugin_grants').where('plugin', '=', plugin).execute();
      await trx.deleteFrom('plugin_state').where('plugin', '=', plugin).execute();
    });
  }
}
