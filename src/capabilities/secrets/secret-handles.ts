import { randomBytes } from 'node:crypto';
import { OpsroomError } from '../../core/errors.js';
import { parseHostPattern } from '../net/host-pattern.js';
import { CallSecretBinder, type SecretBinder, type SecretEntry } from './secret-binder.js';
import type { SecretStore } from './secret-store.js';

export type { SecretBinder } from './secret-binder.js';

/** A secret granted to a plugin, and the hosts (`api.github.com`, `*.example.com`, `host:8443`) its value may be sent to. */
export interface SecretBinding {
  name: string;
  hosts: string[];
}

const SECRET_NAME = /^[A-Z][A-Z0-9_]*$/;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function entryFor(plugin: string, binding: SecretBinding): SecretEntry {
  if (typeof binding.name !== 'string' || !SECRET_NAME.test(binding.name)) {
    throw new OpsroomError('E_CONFIG', `plugin ${plugin}: ${JSON.stringify(binding.name)} is not a secret name (expected upper case, such as GITHUB_TOKEN)`);
  }
  if (!Array.isArray(binding.hosts) || binding.hosts.length === 0) {
    throw new OpsroomError('E_CONFIG', `plugin ${plugin}: secret ${binding.name} is bound to no host, so it could never be sent`);
  }
  const patterns = binding.hosts.map((host) => {
    try {
      return parseHostPattern(host);
    } catch (error) {
      throw new OpsroomError('E_CONFIG', `plugin ${plugin}: secret ${binding.name}: ${describe(error)}`);
    }
  });
  // 128 random bits per load: a plugin cannot forge another load's placeholder, nor guess one it was not given.
  const nonce = randomBytes(16).toString('hex');
  return { name: binding.name, placeholder: `{{opsroom-secret:${binding.name}:${nonce}}}`, marker: `{{opsroom-secret:${binding.name}}}`, patterns };
}

/**
 * The secrets of one loaded plugin, as handles. The plugin only ever holds
 * placeholders (ASCII, so they survive JSON and sit inside a header value such as
 * `Bearer <placeholder>`); the host swaps in a value only in request header values,
 * only for a host the secret is bound to, and only after that hop's checks passed.
 * Anywhere else (URL, query, body, a header to another host) the placeholder stays literal.
 */
export class SecretHandles {
  private readonly entries: readonly SecretEntry[];

  constructor(
    readonly plugin: string,
    bindings: SecretBinding[],
    private readonly store: SecretStore,
  ) {
    const seen = new Set<string>();
    this.entries = bindings.map((binding) => {
      const entry = entryFor(plugin, binding);
      if (seen.has(entry.name)) throw new OpsroomError('E_CONFIG', `plugin ${plugin}: secret ${entry.name} is bound twice; list all its hosts in one binding`);
      seen.add(entry.name);
      return entry;
    });
  }

  /** Name -> placeholder, what `ctx.secret(name)` returns inside the sandbox. */
  placeholders(): Record<string, string> {
    return Object.fromEntries(this.entries.map((entry) => [entry.name, entry.placeholder]));
  }

  /**
   * The binder for one `ctx.fetch` starting at `url`. On a hop to another origin, a
   * header carrying a placeholder of a secret not bound to that hop's host is dropped.
   */
  binderFor(url: URL): SecretBinder {
    return new CallSecretBinder(this.entries, this.store, url);
  }
}
