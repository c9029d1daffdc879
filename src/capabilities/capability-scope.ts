import type { Invocation } from '../core/command.js';
import type { EffectiveGrants } from '../plugins/plugin-grants.js';
import type { SecretHandles } from './secrets/secret-handles.js';

/** Everything a capability call is judged against: which plugin, what it was granted, on whose behalf. */
export interface CapabilityScope {
  plugin: string;
  grants: EffectiveGrants;
  handles: SecretHandles;
  /** Absent for webhooks, schedules and setup. */
  invocation?: Invocation;
  /** What started the call, for the audit log: `command`, `webhook`, `schedule` or `setup`. */
  trigger: string;
}
