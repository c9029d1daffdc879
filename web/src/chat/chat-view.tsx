import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { ChatEntry, ConsoleUser } from '../types.js';
import { MessageItem, type MessageActions } from './message-item.js';
import type { ChatState } from './use-chat.js';

/** The chat: channels with unread counts, the conversation of one, and a line to type into as the current user. */
export function ChatView({ chat, me, users, botName }: { chat: ChatState; me: ConsoleUser; users: ConsoleUser[]; botName: string }) {
  const [channel, setChannel] = useState(chat.channels[0] ?? 'ops');
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const [seen, setSeen] = useState<Record<string, number>>({});
  const list = useRef<HTMLOListElement>(null);
  const shown = useMemo(() => chat.entries.filter((e) => e.channel === channel), [chat.entries, channel]);
  const channels = useMemo(() => [...new Set([...chat.channels, ...chat.entries.map((e) => e.channel)])], [chat.channels, chat.entries]);

  useEffect(() => setSeen((s) => ({ ...s, [channel]: shown.length })), [channel, shown.length]);
  useLayoutEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length, channel]);

  const attempt = (work: Promise<unknown>): void => {
    setError('');
    work.catch((err: unknown) => setError(err instanceof ApiError ? err.message : String(err)));
  };
  const actions: MessageActions = {
    react: (entry: ChatEntry, emoji: string, added: boolean) => attempt(api.post('/api/chat/reactions', { messageId: entry.id, emoji, added })),
    press: (entry: ChatEntry, actionId: string) => attempt(api.post('/api/chat/actions', { messageId: entry.id, actionId })),
  };
  const send = (event: Event): void => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    attempt(api.post('/api/chat/messages', { channel, text }).catch((err: unknown) => {
      setDraft(text);
      throw err;
    }));
  };

  return (
    <div class="chat">
      <nav class="channels" aria-label="channels">
        {channels.map((name) => {
          const unread = chat.entries.filter((e) => e.channel === name).length - (seen[name] ?? 0);
          return (
            <button key={name} type="button" class={name === channel ? 'channel active' : 'channel'} aria-current={name === channel} onClick={() => setChannel(name)}>
              #{name}{name !== channel && unread > 0 && <span class="unread">{unread}</span>}
            </button>
          );
        })}
      </nav>
      <section class="conversation" aria-label={`#${channel}`}>
        <ol class="messages" ref={list}>
          {shown.length === 0 && <li class="empty">Nothing said in #{channel} yet. Try <code>ping</code> or <code>help</code>.</li>}
          {shown.map((entry) => <MessageItem key={entry.id} entry={entry} me={me} users={users} actions={actions} />)}
        </ol>
        {error && <div class="error" role="alert">{error}</div>}
        <form class="composer" onSubmit={send}>
          <input name="line" value={draft} maxLength={4000} autoComplete="off" aria-label={`Message #${channel}`}
            placeholder={`Talk to ${botName} in #${channel} as ${me.name}: ping, help, restart web…`}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
          <button type="submit" class="btn primary" disabled={!draft.trim()}>Send</button>
        </form>
      </section>
    </div>
  );
}
