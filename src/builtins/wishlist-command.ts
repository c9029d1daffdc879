import { inject, injectable } from 'inversify';
import type { CommandSpec, Invocation } from '../core/command.js';
import { Wishlist } from '../routing/wishlist.js';
import type { BuiltinCommand } from './builtin-command.js';

@injectable()
export class WishlistCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'wishlist', description: 'The most requested commands that do not exist yet',
    args: [{ name: 'limit', type: 'int', default: 10, description: 'how many entries' }],
    permission: 'core:wishlist', risk: 'low', readOnly: true,
  };

  constructor(@inject(Wishlist) private readonly wishlist: Wishlist) {}

  async run(invocation: Invocation): Promise<string> {
    const limit = Math.min(Math.max(Number(invocation.args.limit ?? 10), 1), 50);
    const entries = await this.wishlist.top(limit);
    if (entries.length === 0) return 'The wishlist is empty: every command people typed exists.';
    const lines = entries.map((e, i) => {
      const who = e.askers.slice(0, 5).join(', ') + (e.askers.length > 5 ? ` and ${e.askers.length - 5} more` : '');
      return `${i + 1}. \`${e.command}\` asked ${e.count}× by ${who}, last ${e.lastAskedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    });
    return ['Wishlist (missing commands people asked for):', ...lines].join('\n');
  }
}
