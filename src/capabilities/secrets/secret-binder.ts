import { OpsroomError } from '../../core/errors.js';
import { patternMatchesUrl, type HostPattern } from '../net/host-pattern.js';
import { normalizeHost } from '../net/normalize-host.js';
import type { SecretStore } from './secret-store.js';

/** What a fetch needs from the secrets of one plugin: substitution into headers, and redaction of anything returned. */
export interface SecretBinder {
  /** Header values with the placeholders of secrets bound to `url`'s host replaced by their values; see SecretHandles. */
  substituteHeaders(headers: Record<string, string>, url: URL): Record<string, string>;
  /** The text with every known secret value (raw, URL-, JSON- or base64-encoded) replaced by its name marker. */
  redact(text: string): string;
  /** Names (never values) of the secrets substituted so far, for the audit entry of the call. */
  usedSecrets(): string[];
}

/** One secret of one plugin load. */
export interface SecretEntry {
  name: string;
  placeholder: string;
  /** What an echoed value turns into: `{{opsroom-secret:NAME}}`. */
  marker: string;
  patterns: HostPattern[];
}

const HEADER_UNSAFE = /[^\t\x20-\x7e\x80-\xff]/;

function encodings(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), base64, base64.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url')];
  return [...new Set(forms)].filter((form) => form.length > 0);
}

/** The binder of one `ctx.fetch` call that started at `origin`; values are read once per call. */
export class CallSecretBinder implements SecretBinder {
  private readonly values = new Map<string, string | undefined>();
  private readonly used = new Set<string>();

  constructor(
    private readonly entries: readonly SecretEntry[],
    private readonly store: SecretStore,
    private readonly origin: URL,
  ) {}

  substituteHeaders(headers: Record<string, string>, url: URL): Record<string, string> {
    const target = normalizeHost(url.hostname);
    const crossOrigin = url.origin !== this.origin.origin;
    const out: Record<string, string> = {};
    for (const [name, original] of Object.entries(headers)) {
      let value = original;
      let drop = false;
      for (const entry of this.entries) {
        if (!value.includes(entry.placeholder)) continue;
        if (entry.patterns.some((p) => patternMatchesUrl(p, target.host, target.ipLiteral !== undefined, url))) {
          value = value.split(entry.placeholder).join(this.requireValue(entry.name));
          this.used.add(entry.name);
        } else if (crossOrigin) {
          // A redirect took the call to a host this secret is not bound to: the header goes, not even the placeholder travels on.
          drop = true;
        }
      }
      if (!drop) out[name] = value;
    }
    return out;
  }

  redact(text: string): string {
    const pairs: Array<[string, string]> = [];
    for (const entry of this.entries) {
      const value = this.valueOf(entry.name);
      if (value !== undefined) for (const form of encodings(value)) pairs.push([form, entry.marker]);
    }
    // Longest first, so a value that contains another secret's value is replaced whole.
    pairs.sort((a, b) => b[0].length - a[0].length);
    let out = text;
    for (const [form, marker] of pairs) if (out.includes(form)) out = out.split(form).join(marker);
    return out;
  }

  usedSecrets(): string[] {
    return [...this.used];
  }

  private valueOf(name: string): string | undefined {
    if (!this.values.has(name)) this.values.set(name, this.store.get(name));
    return this.values.get(name);
  }

  private requireValue(name: string): string {
    const value = this.valueOf(name);
    if (value === undefined) throw new OpsroomError('E_CONFIG', `secret ${name} has no value: ${this.store.howToSet(name)}`);
    if (HEADER_UNSAFE.test(value)) {
      throw new OpsroomError('E_CONFIG', `secret ${name} has a value that cannot be sent in a header (it contains a line break, a control character or a character outside Latin-1)`);
    }
    return value;
  }
}
