import type { ParsedArgs } from '../core/command.js';
import { bindArgs } from './bind-args.js';
import type { CommandRegistry, RegisteredCommand } from './command-registry.js';
import { editDistance, suggest } from './suggest.js';
import { tokenize, type Token } from './tokenize.js';

export type Resolution =
  | { kind: 'empty' }
  | { kind: 'unknown'; name: string; suggestions: string[]; nearest: boolean }
  | { kind: 'found'; command: RegisteredCommand; args: ParsedArgs; tokens: Token[]; consumed: number };

/**
 * A command line (after the prefix) to a command and its validated arguments. Throws the parser's and binder's
 * user errors (E_PARSE, E_BAD_ARGS). The router and `opsroom try` both go through here.
 */
export function resolveCommand(registry: CommandRegistry, line: string): Resolution {
  const tokens = tokenize(line);
  if (tokens.length === 0) return { kind: 'empty' };
  const found = registry.lookup(tokens);
  if (!found) {
    const name = tokens[0]?.value ?? '';
    return { kind: 'unknown', name, ...suggestionsFor(name, registry.names()) };
  }
  const args = bindArgs(found.command.spec.args, tokens.slice(found.consumed), found.command.usage);
  return { kind: 'found', command: found.command, args, tokens, consumed: found.consumed };
}

/** Close matches; when nothing is close, the three nearest names anyway, marked as such. */
function suggestionsFor(name: string, names: string[]): { suggestions: string[]; nearest: boolean } {
  const close = suggest(name, names);
  if (close.length > 0) return { suggestions: close, nearest: false };
  const query = name.toLowerCase();
  const nearest = names
    .filter((n) => !n.includes(' '))
    .map((n) => ({ n, d: editDistance(query, n) }))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
  return { suggestions: nearest, nearest: true };
}
