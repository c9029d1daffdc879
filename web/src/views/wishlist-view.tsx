import { api } from '../api.js';
import type { ConsoleUser, WishlistEntry } from '../types.js';
import { useLoad, when } from '../use-load.js';

/** Commands people typed that do not exist yet, most wanted first: what to automate next. */
export function WishlistView({ me, activity }: { me: ConsoleUser; activity: number }) {
  const loaded = useLoad(() => api.get<{ entries: WishlistEntry[] }>('/api/wishlist'), [me.name, activity]);
  const entries = loaded.data?.entries ?? [];
  return (
    <section class="view" aria-labelledby="wishlist-title">
      <h2 id="wishlist-title">Wishlist</h2>
      <p class="hint">If something isn't automated, automate it: these commands were asked for and do not exist. A command of that name closes its requests.</p>
      {loaded.error && <div class="error" role="alert">{loaded.error}</div>}
      {!loaded.loading && entries.length === 0 && !loaded.error && <p class="empty">The wishlist is empty: every command people typed exists.</p>}
      {entries.length > 0 && (
        <table class="table">
          <thead><tr><th>command</th><th>asked</th><th>by</th><th>last asked</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.command}><td><code>{e.command}</code></td><td>{e.count}×</td><td>{e.askers.join(', ')}</td><td>{when(e.lastAskedAt)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
