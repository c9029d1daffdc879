import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import type { NetGrant } from '../capabilities/net/net-policy.js';
import { SecretHandles } from '../capabilities/secrets/secret-handles.js';
import type { SecretStore } from '../capabilities/secrets/secret-store.js';
import type { CommandSpec } from '../core/command.js';
import { CONFIG_COMMANDS_OWNER, grantHostOf, secretsOf, type ConfigCommandDefinition } from './config-command-schema.js';

/** A configuration command ready to register and run: its spec, network grant, secret handles and fingerprint. */
export interface PreparedCommand {
  name: string;
  definition: ConfigCommandDefinition;
  spec: CommandSpec;
  /** The one host its HTTP call may reach (and redirects stay on); empty for a runbook command. */
  grant: NetGrant;
  /** Placeholders for the secrets its headers use, bound to that host only. */
  handles: SecretHandles;
  /** Changes whenever the definition does, so an approval frozen under the old one is refused. */
  fingerprint: string;
}

/** Builds what registration needs; throws OpsroomError E_CONFIG for a secret binding that cannot be made. */
export function prepareCommand(name: string, definition: ConfigCommandDefinition, secrets: SecretStore): PreparedCommand {
  const host = definition.http ? grantHostOf(definition.http) : undefined;
  const bindings = host === undefined ? [] : secretsOf(definition.http).map((secret) => ({ name: secret, hosts: [host] }));
  const spec: CommandSpec = {
    name, description: definition.description, args: definition.args,
    permission: definition.permission ?? `use:${CONFIG_COMMANDS_OWNER}`, risk: definition.risk,
    ...(definition.usage ? { usage: definition.usage } : {}),
    ...(definition.aliases ? { aliases: definition.aliases } : {}),
  };
  return {
    name, definition, spec,
    grant: { hosts: host === undefined ? [] : [host] },
    handles: new SecretHandles(`${CONFIG_COMMANDS_OWNER}:${name}`, bindings, secrets),
    fingerprint: fingerprintOf(name, definition),
  };
}

/** `config:<name>#<sha256 of the definition>`: the same text for the same definition, in any key order. */
export function fingerprintOf(name: string, definition: ConfigCommandDefinition): string {
  const digest = createHash('sha256').update(canonicalJson(definition as never)).digest('hex').slice(0, 16);
  return `${CONFIG_COMMANDS_OWNER}:${name}#${digest}`;
}
