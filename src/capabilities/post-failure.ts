import { OpsroomError } from '../core/errors.js';

/** One platform a `ctx.post` could not reach, and why. */
export interface FailedPost {
  platform: string;
  channel: string;
  error: unknown;
}

/** Without its closing full stop, so sentences can be joined. */
function bare(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

function reasonOf(error: unknown): string {
  if (error instanceof OpsroomError) {
    const text = error.audience === 'user' ? bare(error.message) : `${bare(error.message)} (see the opsroom log)`;
    return error.hint ? `${text}. ${bare(error.hint)}` : text;
  }
  return 'the platform failed the request (see the opsroom log)';
}

/**
 * What the plugin (and, if it does not catch it, the user) sees when a post to an alias failed: the alias, each
 * channel that failed and why, with the adapter's hint on how to fix it. Only a message crosses into the sandbox,
 * so the hint goes into the message.
 */
export function postFailure(alias: string, failed: readonly FailedPost[], delivered: readonly string[]): OpsroomError {
  const parts = failed.map((f) => `on ${f.platform} (${f.channel}): ${reasonOf(f.error)}`);
  const also = delivered.length > 0 ? ` It was posted on ${delivered.join(', ')}.` : '';
  const first = failed[0]?.error;
  const code = first instanceof OpsroomError && first.audience === 'user' ? first.code : 'E_PLATFORM';
  return new OpsroomError(code, `post to channel alias ${alias} failed ${parts.join('; ')}.${also}`);
}

/** The failures as log fields: platform, channel and the error's message. */
export function failedForLog(failed: readonly FailedPost[]): Array<Record<string, string>> {
  return failed.map((f) => ({ platform: f.platform, channel: f.channel, error: f.error instanceof Error ? f.error.message : String(f.error) }));
}
