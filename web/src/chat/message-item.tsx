import { useState } from 'preact/hooks';
import { Markdown } from '../markdown-view.js';
import { isLong } from '../markdown.js';
import type { Card, ChatEntry, ConsoleUser } from '../types.js';
import { MessageFiles } from './message-files.js';

export interface MessageActions {
  react(entry: ChatEntry, emoji: string, added: boolean): void;
  press(entry: ChatEntry, actionId: string): void;
}

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function CardView({ card }: { card: Card }) {
  return (
    <div class="card" style={card.color ? { borderLeftColor: card.color } : undefined}>
      {card.title && <div class="card-title">{card.url ? <a href={card.url} target="_blank" rel="noopener noreferrer">{card.title}</a> : card.title}</div>}
      {card.text && <Markdown text={card.text} />}
      {(card.fields ?? []).length > 0 && (
        <dl class="card-fields">
          {(card.fields ?? []).map((f, i) => (
            <div key={i} class={f.inline ? 'field inline' : 'field'}><dt>{f.name}</dt><dd><Markdown text={f.value} /></dd></div>
          ))}
        </dl>
      )}
      {card.footer && <div class="card-footer">{card.footer}</div>}
    </div>
  );
}

function Body({ text }: { text: string }) {
  const long = isLong(text);
  const [open, setOpen] = useState(false);
  if (!long) return <Markdown text={text} />;
  const lines = text.split('\n').length;
  return (
    <div class={open ? 'collapsible open' : 'collapsible'}>
      <div class="collapsible-body"><Markdown text={text} /></div>
      <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Show less' : `Show all (${lines} lines)`}
      </button>
    </div>
  );
}

/**
 * One message: author, time and id, the text as markdown (long ones collapsed), its files (pictures shown), a card,
 * buttons, and the reaction bar.
 */
export function MessageItem({ entry, me, users, actions }: { entry: ChatEntry; me: ConsoleUser; users: ConsoleUser[]; actions: MessageActions }) {
  const { message } = entry;
  const nameOf = (id: string): string => users.find((u) => u.id === id)?.name ?? (id.startsWith('local:bot:') ? id.slice(10) : id);
  return (
    <li class={entry.author.isBot ? 'message bot' : 'message'} data-id={entry.shortId} data-message-id={entry.id}>
      <div class="meta">
        <span class="author">{entry.author.name}</span>
        {entry.author.isBot && <span class="badge">bot</span>}
        <time dateTime={entry.at}>{time(entry.at)}</time>
        <span class="short-id" title={entry.id}>{entry.shortId}</span>
        {entry.via === 'terminal' && <span class="via">from the terminal</span>}
        {entry.edits > 0 && <span class="edited" title={`rewritten ${entry.edits}×`}>(updated)</span>}
        {entry.message.ephemeral && <span class="via">only for the caller on other platforms</span>}
      </div>
      {entry.replyTo && <div class="reply-to">↪ reply to {entry.replyTo.replace(/^[0-9a-f]+-/, '')}</div>}
      <div class="text"><Body text={message.text} /></div>
      {(entry.files ?? []).length > 0 && <MessageFiles entry={entry} />}
      {message.card && <CardView card={message.card} />}
      {(message.buttons ?? []).length > 0 && (
        <div class="buttons">
          {(message.buttons ?? []).map((b) => (
            <button key={b.id} type="button" class={`btn ${b.style ?? 'secondary'}`} onClick={() => actions.press(entry, b.id)}>{b.label}</button>
          ))}
        </div>
      )}
      {entry.reactions.length > 0 && (
        <div class="reactions" role="group" aria-label="reactions">
          {entry.reactions.map((r) => {
            const mine = r.by.includes(me.id);
            return (
              <button key={r.emoji} type="button" class={mine ? 'reaction mine' : 'reaction'} aria-pressed={mine}
                title={r.by.length > 0 ? `${r.by.map(nameOf).join(', ')}; click to ${mine ? 'take yours back' : 'react'}` : 'click to react'}
                data-emoji={r.emoji} onClick={() => actions.react(entry, r.emoji, !mine)}>
                <span class="emoji">{r.emoji}</span> <span class="count">{r.by.length}</span>
              </button>
            );
          })}
        </div>
      )}
    </li>
  );
}
