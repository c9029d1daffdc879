import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, queryOf } from '../api.js';
import type { AuditEntry, ConsoleUser, VerifyResult } from '../types.js';
import { useLoad, when } from '../use-load.js';

const OUTCOMES = ['', 'succeeded', 'failed', 'denied', 'pending', 'granted', 'refused', 'cancelled', 'expired', 'released'];
const EMPTY = { user: '', command: '', outcome: '', action: '' };

/** Walking the whole chain costs a read of every entry, so it runs when the view opens and when asked, not on every message. */
function VerifyBanner({ me }: { me: ConsoleUser }) {
  const verify = useLoad(() => api.get<VerifyResult>('/api/audit/verify'), [me.name]);
  const again = <button type="button" class="link-button" onClick={verify.reload}>verify again</button>;
  if (verify.error) return <div class="error" role="alert">{verify.error}</div>;
  const result = verify.data;
  if (!result || verify.loading) return <div class="verify">Checking the hash chain…</div>;
  return result.ok
    ? <div class="verify ok" role="status">✔ Hash chain intact: {result.entries} entries verified. {again}</div>
    : <div class="verify bad" role="alert">✖ Hash chain broken at entry #{result.firstBad.seq}: {result.firstBad.reason} ({result.entries} entries verified before it). {again}</div>;
}

/** The audit log, newest first, filtered by user, command, action and outcome, with the chain's verify status. */
export function AuditView({ me, users, activity }: { me: ConsoleUser; users: ConsoleUser[]; activity: number }) {
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const [open, setOpen] = useState<number | undefined>(undefined);
  const loaded = useLoad(() => api.get<{ entries: AuditEntry[] }>(`/api/audit${queryOf(filters)}`), [me.name, activity, filters]);
  const field = (name: keyof typeof EMPTY) => (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  const entries = loaded.data?.entries ?? [];
  return (
    <section class="view" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <VerifyBanner me={me} />
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setFilters(draft); }}>
        <label>user <input name="user" list="audit-users" value={draft.user} onInput={field('user')} placeholder="alice or discord:user:123" /></label>
        <datalist id="audit-users">{users.map((u) => <option key={u.name} value={u.name} />)}<option value="system" /></datalist>
        <label>command <input name="command" value={draft.command} onInput={field('command')} placeholder="restart" /></label>
        <label>action <input name="action" value={draft.action} onInput={field('action')} placeholder="command.executed" /></label>
        <label>outcome <select name="outcome" value={draft.outcome} onChange={field('outcome')}>{OUTCOMES.map((o) => <option key={o} value={o}>{o || 'any'}</option>)}</select></label>
        <button type="submit" class="btn primary">Filter</button>
        <button type="button" class="btn secondary" onClick={() => { setDraft(EMPTY); setFilters(EMPTY); }}>Clear</button>
      </form>
      {loaded.error && <div class="error" role="alert">{loaded.error}</div>}
      {!loaded.loading && entries.length === 0 && !loaded.error && <p class="empty">No audit entries match.</p>}
      {entries.length > 0 && (
        <table class="table audit">
          <thead><tr><th>#</th><th>time</th><th>actor</th><th>action</th><th>command</th><th>outcome</th><th>ms</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <Fragment key={e.seq}>
                <tr class={`audit-row outcome-${e.outcome ?? 'none'}`} onClick={() => setOpen(open === e.seq ? undefined : e.seq)} aria-expanded={open === e.seq}>
                  <td>{e.seq}</td><td>{when(e.at)}</td><td>{e.actor}</td><td><code>{e.action}</code></td>
                  <td>{e.command ?? ''}</td><td>{e.outcome ?? ''}</td><td>{e.durationMs ?? ''}</td>
                </tr>
                {open === e.seq && (
                  <tr class="audit-detail"><td colSpan={7}>
                    <pre class="code">{JSON.stringify({ platform: e.platform, channel: e.channel, args: e.args, detail: e.detail, invocationId: e.invocationId, hash: e.hash }, null, 2)}</pre>
                  </td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
