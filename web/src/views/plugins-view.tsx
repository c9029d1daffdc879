import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { ConsoleUser, PluginInfo } from '../types.js';
import { useLoad } from '../use-load.js';

function PluginCard({ plugin, canAdmin, change }: { plugin: PluginInfo; canAdmin: boolean; change(kind: 'grant' | 'revoke', grant: string): void }) {
  return (
    <li class="plugin" data-plugin={plugin.name}>
      <div class="plugin-head">
        <strong>{plugin.name}</strong> <span class="version">{plugin.version}</span>
        <span class={`state ${plugin.state}`}>{plugin.state}</span>
        {plugin.bundled && <span class="badge">bundled</span>}
      </div>
      <p>{plugin.description}</p>
      {plugin.problems.length > 0 && <ul class="problems">{plugin.problems.map((p, i) => <li key={i}>{p}</li>)}</ul>}
      <table class="table capabilities">
        <thead><tr><th>asks to</th><th>grant</th><th>status</th>{canAdmin && <th />}</tr></thead>
        <tbody>
          {plugin.capabilities.length === 0 && <tr><td colSpan={canAdmin ? 4 : 3} class="empty">asks for no capabilities</td></tr>}
          {plugin.capabilities.map((c) => (
            <tr key={c.grant} data-grant={c.grant}>
              <td>{c.words}</td><td><code>{c.grant}</code></td>
              <td><span class={c.granted ? 'chip granted' : 'chip'}>{c.granted ? 'granted' : 'not granted'}</span></td>
              {canAdmin && <td>
                {c.granted
                  ? <button type="button" class="btn danger small" onClick={() => change('revoke', c.grant)}>Revoke</button>
                  : <button type="button" class="btn primary small" onClick={() => change('grant', c.grant)}>Grant</button>}
              </td>}
            </tr>
          ))}
        </tbody>
      </table>
      {plugin.commands.length > 0 && (
        <div class="plugin-commands">commands: {plugin.commands.map((c) => <span key={c.name} class="command" title={`${c.description} (permission ${c.permission})`}><code>{c.name}</code> risk {c.risk}</span>)}</div>
      )}
      {plugin.limits && <div class="hint">limits: {plugin.limits.memoryMb} MB, {plugin.limits.cpuMs} ms CPU and {plugin.limits.wallMs / 1000} s a call{plugin.loadMs !== null && `; loaded in ${plugin.loadMs.toFixed(1)} ms`}</div>}
    </li>
  );
}

/** Plugins: what each asks for against what it was granted, in plain words; load status and errors; grant/revoke for admins. */
export function PluginsView({ me, activity }: { me: ConsoleUser; activity: number }) {
  const loaded = useLoad(() => api.get<{ plugins: PluginInfo[]; canAdmin: boolean }>('/api/plugins'), [me.name, activity]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const change = (plugin: PluginInfo) => (kind: 'grant' | 'revoke', grant: string): void => {
    setError('');
    setNotice('');
    api.post(`/api/plugins/${plugin.name}/${kind}`, { capability: grant }).then(
      () => { setNotice(`${kind === 'grant' ? 'Granted' : 'Revoked'} ${grant} ${kind === 'grant' ? 'to' : 'from'} ${plugin.name}.`); loaded.reload(); },
      (err: unknown) => setError(err instanceof ApiError ? err.message : String(err)),
    );
  };
  const plugins = loaded.data?.plugins ?? [];
  return (
    <section class="view" aria-labelledby="plugins-title">
      <h2 id="plugins-title">Plugins</h2>
      <p class="hint">{loaded.data?.canAdmin ? `${me.name} may grant and revoke (every change is audited).` : `Read-only for ${me.name}: granting needs plugin:admin.`}</p>
      {loaded.error && <div class="error" role="alert">{loaded.error}</div>}
      {error && <div class="error" role="alert">{error}</div>}
      {notice && <div class="notice" role="status">{notice}</div>}
      {!loaded.loading && plugins.length === 0 && !loaded.error && <p class="empty">No plugins are installed.</p>}
      <ul class="plugins">{plugins.map((p) => <PluginCard key={p.name} plugin={p} canAdmin={loaded.data?.canAdmin ?? false} change={change(p)} />)}</ul>
    </section>
  );
}
