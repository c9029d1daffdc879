import { inject, injectable } from 'inversify';
import { Wishlist } from '../../../routing/wishlist.js';
import { MAX_WISHLIST_TOP } from '../../../storage/wishlist-store.js';
import { intParam } from '../console-access.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { sendJson } from '../http-io.js';

/** The most wanted missing commands: open to every session, as the `wishlist` command is open to everyone. */
@injectable()
export class WishlistApi implements ConsoleApi {
  constructor(@inject(Wishlist) private readonly wishlist: Wishlist) {}

  routes(): ConsoleRoute[] {
    return [{ method: 'GET', path: '/api/wishlist', handle: (r) => this.top(r) }];
  }

  private async top(request: ConsoleRequest): Promise<void> {
    request.user();
    const entries = await this.wishlist.top(intParam(request.query, 'limit', 25, 1, MAX_WISHLIST_TOP));
    sendJson(request.res, 200, {
      entries: entries.map((e) => ({ command: e.command, count: e.count, askers: e.askers, lastAskedAt: e.lastAskedAt.toISOString() })),
    });
  }
}
