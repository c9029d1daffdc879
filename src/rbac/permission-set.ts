/**
 * A compiled set of permission patterns. `*` grants everything, `db:*` grants `db` and every `db:...`,
 * and a leading `!` takes a permission away again, whatever else grants it.
 */
export class PermissionSet {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];
  private readonly denied = new Set<string>();
  private readonly deniedPrefixes: string[] = [];
  private all = false;

  constructor(patterns: Iterable<string>) {
    for (const raw of patterns) this.add(raw.toLowerCase());
  }

  has(permission: string): boolean {
    const p = permission.toLowerCase();
    if (this.denied.has(p) || this.deniedPrefixes.some((d) => matchesPrefix(p, d))) return false;
    return this.all || this.exact.has(p) || this.prefixes.some((prefix) => matchesPrefix(p, prefix));
  }

  isEmpty(): boolean {
    return !this.all && this.exact.size === 0 && this.prefixes.length === 0;
  }

  private add(pattern: string): void {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (body === '*') {
      if (!negated) this.all = true;
      return;
    }
    const wildcard = body.endsWith(':*');
    const stem = wildcard ? body.slice(0, -2) : body;
    if (negated) (wildcard ? this.deniedPrefixes.push(stem) : this.denied.add(stem));
    else (wildcard ? this.prefixes.push(stem) : this.exact.add(stem));
  }
}

function matchesPrefix(permission: string, stem: string): boolean {
  return permission === stem || (permission.startsWith(stem) && permission.charCodeAt(stem.length) === 58 /* : */);
}
