import { randomBytes } from 'node:crypto';

const LIMIT = 1_000;
const REACTION_EVENTS = new Set(['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE']);

interface RawReaction {
  message_id?: string;
  user_id?: string;
  emoji?: { id?: string | null; name?: string | null };
}

function keyOf(added: boolean, messageId: string, userId: string, emojiId: string | null | undefined, emojiName: string | null | undefined): string {
  return `${added ? '+' : '-'}${messageId}:${userId}:${emojiId ?? emojiName ?? ''}`;
}

/**
 * Gives reaction events an id that names the delivery: `<session>:<sequence>` of the gateway dispatch. Discord gives
 * reactions no id of their own, and (message, user, emoji) repeats when someone reacts, takes it back and reacts
 * again, which must stay three events. A resumed session replays a dispatch with the same sequence, so a duplicate
 * delivery keeps its id and the router's deduplication drops it.
 *
 * discord.js emits the reaction event right after the raw packet, but drops some silently, so ids wait in a
 * bounded queue per (message, user, emoji) rather than in a single slot.
 */
export class ReactionDispatchIds {
  private readonly pending = new Map<string, string[]>();
  private size = 0;

  /** Notes a raw dispatch (`client.on('raw')`); `sessionId` is that of the shard it came on. */
  observe(packet: { t?: string | null; s?: number | null; d?: unknown }, sessionId: string | undefined): void {
    if (!packet.t || !REACTION_EVENTS.has(packet.t) || typeof packet.s !== 'number') return;
    const d = (packet.d ?? {}) as RawReaction;
    if (!d.message_id || !d.user_id) return;
    const key = keyOf(packet.t === 'MESSAGE_REACTION_ADD', d.message_id, d.user_id, d.emoji?.id, d.emoji?.name);
    const queue = this.pending.get(key) ?? [];
    queue.push(`${sessionId ?? 'nosession'}:${packet.s}`);
    this.pending.set(key, queue);
    if (++this.size > LIMIT) this.evictOldest();
  }

  /** The id of the reaction event discord.js just emitted; a fresh unique id when the dispatch was not seen. */
  take(added: boolean, messageId: string, userId: string, emojiId: string | null, emojiName: string | null): string {
    const key = keyOf(added, messageId, userId, emojiId, emojiName);
    const queue = this.pending.get(key);
    const id = queue?.shift();
    if (queue && queue.length === 0) this.pending.delete(key);
    if (id !== undefined) {
      this.size--;
      return `reaction:${id}`;
    }
    return `reaction:unseen:${randomBytes(8).toString('hex')}`;
  }

  private evictOldest(): void {
    const [key, queue] = this.pending.entries().next().value ?? [];
    if (key === undefined || queue === undefined) return;
    queue.shift();
    this.size--;
    if (queue.length === 0) this.pending.delete(key);
  }
}
