import { describe, expect, it } from 'vitest';
import { decisionOfEvent, reactionKind } from '../../../src/approvals/approval-decision.js';
import type { ActionEvent } from '../../../src/core/chat-event.js';
import { message, reaction } from '../../fakes/fake-adapter.js';

function action(actionId: string, value: Record<string, unknown>, messageId?: string): ActionEvent {
  const base = reaction('m', '✅');
  return { ...base, type: 'action', actionId, value, ...(messageId ? { messageId } : {}) };
}

describe('reactionKind', () => {
  it('reads ✅ (with or without the emoji variation selector) as approve and ❌ as deny', () => {
    expect(reactionKind('✅')).toBe('approve');
    expect(reactionKind('✔️')).toBe('approve');
    expect(reactionKind(':white_check_mark:')).toBe('approve');
    expect(reactionKind('❌')).toBe('deny');
    expect(reactionKind('⛔️')).toBe('deny');
  });

  it('reads any other emoji as no decision, thumbs up included', () => {
    expect(reactionKind('👍')).toBeUndefined();
    expect(reactionKind('🎉')).toBeUndefined();
  });
});

describe('decisionOfEvent', () => {
  it('turns an added ✅ into an approval of the message reacted to, and its removal into a withdrawal', () => {
    expect(decisionOfEvent(reaction('bot-1', '✅'))).toMatchObject({
      kind: 'approve', via: 'reaction', platform: 'local', actor: { id: 'local:user:bob' },
      message: { channelId: 'local:channel:ops', messageId: 'bot-1' },
    });
    expect(decisionOfEvent(reaction('bot-1', '✅', { added: false }))).toMatchObject({ kind: 'withdraw' });
  });

  it('turns an added ❌ into a denial, and ignores its removal', () => {
    expect(decisionOfEvent(reaction('bot-1', '❌'))).toMatchObject({ kind: 'deny', via: 'reaction' });
    expect(decisionOfEvent(reaction('bot-1', '❌', { added: false }))).toBeUndefined();
  });

  it('turns the request buttons into decisions naming the request, with the message when the platform tells it', () => {
    expect(decisionOfEvent(action('approval.approve', { requestId: 'abc234' }, 'bot-1'))).toMatchObject({
      kind: 'approve', via: 'action', requestId: 'abc234', message: { messageId: 'bot-1' },
    });
    expect(decisionOfEvent(action('approval.deny', { requestId: 'abc234', reason: ' not now ' }))).toMatchObject({
      kind: 'deny', requestId: 'abc234', reason: 'not now',
    });
  });

  it('ignores other buttons, buttons without a request id, other emoji and messages', () => {
    expect(decisionOfEvent(action('poll.vote', { requestId: 'abc234' }))).toBeUndefined();
    expect(decisionOfEvent(action('approval.approve', {}))).toBeUndefined();
    expect(decisionOfEvent(reaction('bot-1', '👀'))).toBeUndefined();
    expect(decisionOfEvent(message('approve abc234'))).toBeUndefined();
  });
});
