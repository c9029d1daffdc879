import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { ConsoleUser, PendingApproval } from '../types.js';
import { useLoad, when } from '../use-load.js';

/** Pending approval requests the current user asked for or may decide, with approve/deny for eligible users. */
export function ApprovalsView({ me, activity }: { me: ConsoleUser; activity: number }) {
  const loaded = useLoad(() => api.get<{ requests: PendingApproval[] }>('/api/approvals'), [me.name, activity]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  // Requests from Discord and Teams make no noise in the local chat, so the list also refreshes on its own.
  useEffect(() => {
    const timer = window.setInterval(loaded.reload, 15_000);
    return () => window.clearInterval(timer);
  }, [loaded.reload]);

  const decide = (request: PendingApproval, kind: 'approve' | 'deny' | 'cancel'): void => {
    setError('');
    setNotice('');
    const body = kind === 'deny' && reasons[request.id]?.trim() ? { reason: reasons[request.id]?.trim() } : {};
    api.post<{ outcome: string }>(`/api/approvals/${request.id}/${kind}`, body).then(
      (result) => { setNotice(`${request.id}: ${result.outcome}`); loaded.reload(); },
      (err: unknown) => setError(err instanceof ApiError ? err.message : String(err)),
    );
  };

  const requests = loaded.data?.requests ?? [];
  return (
    <section class="view" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Pending approvals</h2>
      <p class="hint">Requests {me.name} made or may decide. Approving here is the same as reacting ✅ on the request in chat.</p>
      {loaded.error && <div class="error" role="alert">{loaded.error}</div>}
      {error && <div class="error" role="alert">{error}</div>}
      {notice && <div class="notice" role="status">{notice}</div>}
      {!loaded.loading && requests.length === 0 && !loaded.error && <p class="empty">No pending approval requests for {me.name}.</p>}
      <ul class="approvals">
        {requests.map((r) => (
          <li key={r.id} class="approval" data-request-id={r.id}>
            <div class="approval-head"><code>{r.text}</code> <span class="short-id">id {r.id}</span></div>
            <div class="approval-facts">
              asked by <strong>{r.requester.name}</strong> in {r.channel} · needs {r.policy.approvals} from {r.policy.approverRoles.join(' or ')}
              {r.approvers.length > 0 && <> · approved so far by {r.approvers.join(', ')}</>} · expires {when(r.expiresAt)}
            </div>
            <div class="approval-actions">
              {r.canDecide && <>
                <button type="button" class="btn primary" onClick={() => decide(r, 'approve')}>Approve</button>
                <input aria-label={`reason to deny ${r.id}`} placeholder="reason (optional)" value={reasons[r.id] ?? ''} maxLength={500}
                  onInput={(e) => setReasons({ ...reasons, [r.id]: (e.target as HTMLInputElement).value })} />
                <button type="button" class="btn danger" onClick={() => decide(r, 'deny')}>Deny</button>
              </>}
              {r.mine && <button type="button" class="btn secondary" onClick={() => decide(r, 'cancel')}>Cancel my request</button>}
              {!r.canDecide && r.whyNot && <span class="hint">{r.whyNot}</span>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
