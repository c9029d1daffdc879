/** Platforms opsroom talks to. `local` is the terminal and web console. */
export type Platform = 'discord' | 'teams' | 'local';

export const PLATFORMS: readonly Platform[] = ['discord', 'teams', 'local'];

/** What a qualified id names. */
export type IdKind = 'user' | 'channel' | 'conversation' | 'role' | 'group' | 'team';

/** A platform-qualified id such as `discord:user:123` or `teams:conversation:19:abc`. */
export type QualifiedId = string;

export interface ParsedId {
  platform: Platform;
  kind: IdKind;
  id: string;
}

const KINDS: readonly IdKind[] = ['user', 'channel', 'conversation', 'role', 'group', 'team'];

export function qualify(platform: Platform, kind: IdKind, id: string): QualifiedId {
  if (id.length === 0) throw new TypeError('a qualified id needs a non-empty platform id');
  return `${platform}:${kind}:${id}`;
}

/** Parses `platform:kind:id`; the id part may itself contain colons (Teams ids do). */
export function parseQualified(value: string): ParsedId | undefined {
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  const platform = value.slice(0, first) as Platform;
  const kind = value.slice(first + 1, second) as IdKind;
  const id = value.slice(second + 1);
  if (!PLATFORMS.includes(platform) || !KINDS.includes(kind) || id.length === 0) return undefined;
  return { platform, kind, id };
}

export function isQualifiedUser(value: string): boolean {
  return parseQualified(value)?.kind === 'user';
}
