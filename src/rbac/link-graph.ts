import type { IdentityLink } from './rbac-state.js';

/** Identities joined by links, as groups: a link of A to B and of B to C makes A, B and C one person. */
export class LinkGraph {
  private readonly groupOf = new Map<string, readonly string[]>();

  constructor(links: readonly IdentityLink[]) {
    const neighbours = new Map<string, Set<string>>();
    const connect = (from: string, to: string) => neighbours.set(from, (neighbours.get(from) ?? new Set()).add(to));
    for (const link of links) {
      connect(link.a, link.b);
      connect(link.b, link.a);
    }
    for (const start of neighbours.keys()) {
      if (this.groupOf.has(start)) continue;
      const group = collect(start, neighbours);
      for (const member of group) this.groupOf.set(member, group);
    }
  }

  /** The principal and every identity linked to it, sorted; just the principal when it has no link. */
  groupOfPrincipal(principal: string): readonly string[] {
    return this.groupOf.get(principal) ?? [principal];
  }

  isLinked(principal: string): boolean {
    return this.groupOf.has(principal);
  }

  /** The identities linked to a principal, without itself. */
  linkedTo(principal: string): string[] {
    return this.groupOfPrincipal(principal).filter((p) => p !== principal);
  }

  /** Every principal that has at least one link. */
  principals(): string[] {
    return [...this.groupOf.keys()];
  }
}

function collect(start: string, neighbours: ReadonlyMap<string, ReadonlySet<string>>): readonly string[] {
  const seen = new Set([start]);
  const queue = [start];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const other of neighbours.get(next) ?? []) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return Object.freeze([...seen].sort());
}
