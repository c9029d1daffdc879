import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, setActingUser, setCsrfToken } from './api.js';
import { ChatView } from './chat/chat-view.js';
import { useChat, type Connection } from './chat/use-chat.js';
import type { ConsoleUser, SessionInfo } from './types.js';
import { ApprovalsView } from './views/approvals-view.js';
import { AuditView } from './views/audit-view.js';
import { PluginsView } from './views/plugins-view.js';
import { RolesView } from './views/roles-view.js';
import { WishlistView } from './views/wishlist-view.js';

type Tab = 'chat' | 'approvals' | 'audit' | 'plugins' | 'wishlist' | 'roles';
const AS_KEY = 'opsroom.as';

function tabOf(hash: string): Tab {
  const name = hash.replace(/^#\/?/, '');
  return (['chat', 'approvals', 'audit', 'plugins', 'wishlist', 'roles'] as const).find((t) => t === name) ?? 'chat';
}

function tabsFor(me: ConsoleUser): Array<{ tab: Tab; label: string }> {
  return [
    { tab: 'chat', label: 'Chat' },
    { tab: 'approvals', label: 'Approvals' },
    ...(me.can.readAudit ? [{ tab: 'audit' as const, label: 'Audit' }] : []),
    ...(me.can.readPlugins ? [{ tab: 'plugins' as const, label: 'Plugins' }] : []),
    { tab: 'wishlist', label: 'Wishlist' },
    ...(me.can.adminRoles ? [{ tab: 'roles' as const, label: 'Roles' }] : []),
  ];
}

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', ended: 'session ended: open a fresh login link',
};

/** Activity in chat (a new message, an edit, a reaction) refreshes the open view, at most every few hundred ms. */
function useActivity(): [number, () => void] {
  const [count, setCount] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  const bump = (): void => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => { timer.current = undefined; setCount((c) => c + 1); }, 300);
  };
  return [count, bump];
}

function Console({ session, onLogout }: { session: SessionInfo; onLogout(): void }) {
  const stored = sessionStorage.getItem(AS_KEY);
  const [name, setName] = useState(session.users.some((u) => u.name === stored) ? (stored as string) : session.defaultUser);
  const [tab, setTab] = useState<Tab>(tabOf(location.hash));
  const [activity, bump] = useActivity();
  const chat = useChat(session.channels, bump);
  const me = session.users.find((u) => u.name === name) ?? (session.users[0] as ConsoleUser);
  setActingUser(me.name);

  useEffect(() => {
    const follow = (): void => setTab(tabOf(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const switchTo = (next: string): void => {
    sessionStorage.setItem(AS_KEY, next);
    setName(next);
  };
  const tabs = tabsFor(me);
  const shown = tabs.some((t) => t.tab === tab) ? tab : 'chat';

  return (
    <div class="shell">
      <header class="top">
        <h1>{session.botName} <span>console</span></h1>
        <nav class="tabs" aria-label="views">
          {tabs.map((t) => <a key={t.tab} href={`#/${t.tab}`} class={t.tab === shown ? 'tab active' : 'tab'} aria-current={t.tab === shown ? 'page' : undefined}>{t.label}</a>)}
        </nav>
        <div class="who">
          <label>speaking as{' '}
            <select name="identity" value={me.name} onChange={(e) => switchTo((e.target as HTMLSelectElement).value)} disabled={session.users.length < 2}>
              {session.users.map((u) => <option key={u.name} value={u.name}>{u.displayName}</option>)}
            </select>
          </label>
          <span class="roles" title="the roles opsroom gives this identity">{me.roles.length > 0 ? me.roles.join(', ') : 'no role'}</span>
          <span class={`connection ${chat.connection}`} title="live updates">{CONNECTION_TEXT[chat.connection]}</span>
          <button type="button" class="btn secondary small" onClick={onLogout}>Log out</button>
        </div>
      </header>
      <main>
        {shown === 'chat' && <ChatView chat={chat} me={me} users={session.users} botName={session.botName} />}
        {shown === 'approvals' && <ApprovalsView me={me} activity={activity} />}
        {shown === 'audit' && <AuditView me={me} users={session.users} activity={activity} />}
        {shown === 'plugins' && <PluginsView me={me} activity={activity} />}
        {shown === 'wishlist' && <WishlistView me={me} activity={activity} />}
        {shown === 'roles' && <RolesView me={me} activity={activity} />}
      </main>
    </div>
  );
}

/** Loads the session (who the page may speak as, the CSRF token), then the console; or says how to log in. */
export function App() {
  const [session, setSession] = useState<SessionInfo | undefined>(undefined);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    api.get<SessionInfo>('/api/session').then(
      (info) => { setCsrfToken(info.csrfToken); setSession(info); },
      (err: unknown) => setProblem(err instanceof ApiError && err.status === 401
        ? 'Not logged in. Open the login link opsroom printed at start, or type /web in its terminal for a fresh one.'
        : String(err instanceof Error ? err.message : err)),
    );
  }, []);
  const logout = (): void => {
    api.post('/api/logout').finally(() => { setSession(undefined); setProblem('Logged out. Open a fresh login link (type /web in the opsroom terminal) to come back.'); });
  };
  if (problem) return <div class="gate"><h1>opsroom console</h1><p role="alert">{problem}</p></div>;
  if (!session) return <div class="gate"><p>Loading…</p></div>;
  return <Console session={session} onLogout={logout} />;
}
