import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { ConsoleUser, RoleInfo } from '../types.js';
import { useLoad } from '../use-load.js';

/** Roles, their permissions and who holds them; grant and revoke for holders of rbac:admin. */
export function RolesView({ me, activity }: { me: ConsoleUser; activity: number }) {
  const loaded = useLoad(() => api.get<{ roles: RoleInfo[] }>('/api/roles'), [me.name, activity]);
  const [user, setUser] = useState('');
  const [role, setRole] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const roles = loaded.data?.roles ?? [];
  const change = (kind: 'grant' | 'revoke'): void => {
    setError('');
    setNotice('');
    api.post<{ result: { changed: boolean; principal: string; role: string } }>(`/api/roles/${kind}`, { user, role }).then(
      ({ result }) => { setNotice(result.changed ? `${kind === 'grant' ? 'Granted' : 'Revoked'} ${result.role} ${kind === 'grant' ? 'to' : 'from'} ${result.principal}.` : 'Nothing changed.'); loaded.reload(); },
      (err: unknown) => setError(err instanceof ApiError ? err.message : String(err)),
    );
  };
  return (
    <section class="view" aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      {loaded.error && <div class="error" role="alert">{loaded.error}</div>}
      {error && <div class="error" role="alert">{error}</div>}
      {notice && <div class="notice" role="status">{notice}</div>}
      {roles.length > 0 && <>
        <table class="table">
          <thead><tr><th>role</th><th>permissions</th><th>held by</th></tr></thead>
          <tbody>{roles.map((r) => (
            <tr key={r.name}><td><strong>{r.name}</strong>{r.description && <div class="hint">{r.description}</div>}</td>
              <td>{r.permissions.map((p) => <code key={p}>{p}</code>)}</td><td>{[...r.principals, ...r.groups].join(', ') || 'nobody'}</td></tr>
          ))}</tbody>
        </table>
        <form class="filters" onSubmit={(e) => { e.preventDefault(); change('grant'); }}>
          <label>user <input value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} placeholder="alice or discord:user:123" /></label>
          <label>role <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="">choose…</option>{roles.map((r) => <option key={r.name} value={r.name}>{r.name}</option>)}
          </select></label>
          <button type="submit" class="btn primary" disabled={!user || !role}>Grant</button>
          <button type="button" class="btn danger" disabled={!user || !role} onClick={() => change('revoke')}>Revoke</button>
        </form>
      </>}
    </section>
  );
}
