import { qualify } from '../../core/identity.js';
import type { OpsroomApp } from '../../di/opsroom-app.js';
import { PluginManager } from '../plugin-manager.js';
import type { ConversationStep } from './conversation-schema.js';
import type { RecordedMessage, RecordingAdapter } from './recording-adapter.js';

const CHANNEL = 'local:channel:ops';
let sequence = 0;

export interface StepOutcome {
  /** The webhook's answer, for webhook steps. */
  result?: unknown;
  error?: string;
}

export async function runStep(app: OpsroomApp, adapter: RecordingAdapter, plugin: string, step: ConversationStep, index: number): Promise<StepOutcome> {
  const receivedAt = new Date();
  if (step.say !== undefined) {
    const id = `harness-${process.pid}-${++sequence}`;
    await adapter.deliver({
      type: 'message', id, messageId: id, platform: 'local', text: step.say, mentionsBot: true, receivedAt,
      actor: { id: qualify('local', 'user', step.as), name: step.as, isBot: false, groups: [] },
      channel: { id: CHANNEL, name: 'ops', isDirect: false },
    });
    return {};
  }
  const plugins = app.get<PluginManager>(PluginManager);
  try {
    if (step.webhook) {
      return { result: await plugins.deliver(plugin, { kind: 'webhook' }, { method: 'POST', ...step.webhook }) };
    }
    return { result: await plugins.deliver(plugin, { kind: 'schedule' }, { name: step.schedule, cron: '', firedAt: receivedAt.toISOString() }) };
  } catch (error) {
    return { error: `step ${index + 1}: the plugin failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Every way the step's answers differ from what the script expects. */
export function checkStep(step: ConversationStep, index: number, said: RecordedMessage[], outcome: StepOutcome): string[] {
  const label = `step ${index + 1} (${step.say !== undefined ? JSON.stringify(step.say) : step.webhook ? 'webhook' : `schedule ${step.schedule ?? ''}`})`;
  const failures: string[] = outcome.error ? [outcome.error] : [];
  const replies = said.filter((m) => m.channelId === CHANNEL && m.kind !== 'update').map((m) => m.message.text);
  const shown = replies.length === 0 ? 'no answer' : replies.map((r) => JSON.stringify(r)).join(', ');
  if (step.replies && JSON.stringify(step.replies) !== JSON.stringify(replies)) {
    failures.push(`${label}: answered ${shown}, expected ${step.replies.map((r) => JSON.stringify(r)).join(', ') || 'no answer'}`);
  }
  for (const pattern of step.replyMatches ?? []) {
    const regex = new RegExp(pattern, 's');
    if (!replies.some((r) => regex.test(r))) failures.push(`${label}: no answer matches /${pattern}/; answered ${shown}`);
  }
  for (const text of step.replyContains ?? []) {
    if (!replies.some((r) => r.includes(text))) failures.push(`${label}: no answer contains ${JSON.stringify(text)}; answered ${shown}`);
  }
  for (const [alias, wanted] of Object.entries(step.posts ?? {})) {
    const texts = typeof wanted === 'string' ? [wanted] : wanted;
    const posted = said.filter((m) => m.channelId === `local:channel:${alias}`).map((m) => `${m.message.text}\n${JSON.stringify(m.message.card ?? '')}`);
    if (!posted.some((p) => texts.every((text) => p.includes(text)))) {
      const missing = texts.length === 1 ? JSON.stringify(texts[0]) : `all of ${texts.map((t) => JSON.stringify(t)).join(', ')}`;
      failures.push(`${label}: nothing posted to ${alias} contains ${missing} (posted: ${posted.length === 0 ? 'nothing' : posted.map((p) => JSON.stringify(p.slice(0, 300))).join(', ')})`);
    }
  }
  const toAliases = said.filter((m) => m.channelId !== CHANNEL && m.kind === 'send');
  if (step.noPosts && toAliases.length > 0) failures.push(`${label}: expected no posts, but it posted to ${toAliases.map((m) => m.channelId.replace(/^local:channel:/, '')).join(', ')}`);
  if (step.status !== undefined) {
    const status = typeof outcome.result === 'object' && outcome.result !== null ? (outcome.result as { status?: unknown }).status : undefined;
    if (status !== step.status) failures.push(`${label}: answered status ${String(status)}, expected ${step.status}`);
  }
  return failures;
}
