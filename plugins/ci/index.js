// The ci plugin: a generic build-status webhook for CI servers without a native format. A CI job POSTs
//   { "pipeline": "web", "stage": "test", "status": "failed", "url": "https://ci.example/jobs/42",
//     "branch": "main", "commit": "1f3a9c2", "duration": 242, "message": "3 tests failed" }
// and the result is posted to the builds channel. By default only failures and recoveries are posted
// (plugins.config.ci.notify: "failures"); "changes" posts only when a result flips, "all" posts every result.
// Runs in the opsroom sandbox: no imports.

const OUTCOMES = {
  success: 'success', succeeded: 'success', passed: 'success', fixed: 'success', ok: 'success', green: 'success',
  failure: 'failure', failed: 'failure', error: 'failure', errored: 'failure', broken: 'failure', red: 'failure', timeout: 'failure', timed_out: 'failure',
  cancelled: 'cancelled', canceled: 'cancelled', aborted: 'cancelled', skipped: 'cancelled',
  running: 'running', started: 'running', pending: 'running', queued: 'running', in_progress: 'running',
};
const NOTIFY = ['failures', 'changes', 'all'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._\/:-]{0,99}$/;

class BadRequest extends Error {}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function oneLine(text, max) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function optionalText(body, key, max) {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new BadRequest(`${key} must be text`);
  return oneLine(value, max);
}

/** The build result the request reports, checked field by field; every problem names the field. */
function resultOf(body) {
  if (!isObject(body)) throw new BadRequest('the body must be a JSON object such as {"pipeline": "web", "status": "failed"}');
  if (typeof body.pipeline !== 'string' || !NAME.test(body.pipeline)) throw new BadRequest('pipeline must be a name of 1 to 100 letters, digits, spaces and . _ / : -');
  if (body.stage !== undefined && (typeof body.stage !== 'string' || !NAME.test(body.stage))) throw new BadRequest('stage, when given, must be a name of 1 to 100 letters, digits, spaces and . _ / : -');
  const status = typeof body.status === 'string' ? body.status.trim().toLowerCase() : undefined;
  const outcome = status === undefined ? undefined : OUTCOMES[status];
  if (outcome === undefined) throw new BadRequest(`status must be one of ${Object.keys(OUTCOMES).join(', ')} (got ${JSON.stringify(body.status)})`);
  const url = optionalText(body, 'url', 500);
  if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw new BadRequest('url, when given, must be an http or https link');
  const duration = body.duration;
  if (duration !== undefined && !(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0)) throw new BadRequest('duration, when given, must be a number of seconds');
  return {
    pipeline: body.pipeline, stage: body.stage, status, outcome, url, duration,
    branch: optionalText(body, 'branch', 100), commit: optionalText(body, 'commit', 40), message: optionalText(body, 'message', 300),
  };
}

function durationText(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function keyOf(result) {
  return `last:${result.pipeline}${result.stage ? `/${result.stage}` : ''}`;
}

/** Whether to post, given the previous outcome of the same pipeline and stage. */
function shouldPost(notify, outcome, previous) {
  if (notify === 'all') return true;
  if (outcome === 'failure') return notify === 'failures' || previous !== 'failure';
  return outcome === 'success' && previous === 'failure';
}

const WORDS = { success: ['✅', 'passed'], failure: ['❌', 'failed'], cancelled: ['⏹️', 'was cancelled'], running: ['⏳', 'is running'] };

function message(result, previous) {
  const recovered = result.outcome === 'success' && previous === 'failure';
  const [icon, words] = recovered ? ['✅', 'recovered'] : WORDS[result.outcome];
  const name = `**${result.pipeline}**${result.stage ? ` › ${result.stage}` : ''}`;
  const where = [result.branch ? `on \`${result.branch}\`` : '', result.commit ? `(${result.commit})` : ''].filter(Boolean).join(' ');
  const took = result.duration !== undefined ? ` in ${durationText(result.duration)}` : '';
  const fields = [
    { name: 'Status', value: result.status, inline: true },
    ...(result.branch ? [{ name: 'Branch', value: result.branch, inline: true }] : []),
    ...(result.commit ? [{ name: 'Commit', value: result.commit, inline: true }] : []),
    ...(result.duration !== undefined ? [{ name: 'Duration', value: durationText(result.duration), inline: true }] : []),
  ];
  return {
    text: `${icon} ${name} ${words}${where ? ` ${where}` : ''}${took}${result.message ? `: ${result.message}` : ''}`,
    card: {
      title: `${result.pipeline}${result.stage ? ` › ${result.stage}` : ''}: ${recovered ? 'recovered' : result.status}`, fields,
      ...(result.url ? { url: result.url } : {}), color: result.outcome === 'failure' ? '#cf222e' : result.outcome === 'success' ? '#2da44e' : '#6e7781',
    },
  };
}

function notifyOf(config) {
  const notify = config.notify === undefined ? 'failures' : config.notify;
  if (!NOTIFY.includes(notify)) throw new Error(`plugins.config.ci.notify must be one of ${NOTIFY.join(', ')} (got ${JSON.stringify(notify)})`);
  return notify;
}

async function onWebhook(ctx, req) {
  const notify = notifyOf(ctx.config || {});
  let result;
  try {
    let body;
    try {
      body = req.json();
    } catch (error) {
      throw new BadRequest(`the body is not JSON (${error.message})`);
    }
    result = resultOf(body);
  } catch (error) {
    if (error instanceof BadRequest) return { status: 400, body: error.message };
    throw error;
  }
  const key = keyOf(result);
  const stored = await ctx.storage.get(key);
  const previous = isObject(stored) ? stored.outcome : undefined;
  const post = shouldPost(notify, result.outcome, previous);
  if (post) await ctx.post('builds', message(result, previous));
  // A running build says nothing about whether the last finished one failed, so only finished results are kept.
  if (result.outcome !== 'running') await ctx.storage.set(key, { outcome: result.outcome, status: result.status, at: new Date().toISOString(), url: result.url || null, branch: result.branch || null });
  return { status: 200, body: post ? 'posted to builds' : `recorded; not posted (notify: ${notify})` };
}

async function lastResults(ctx) {
  const keys = await ctx.storage.list('last:');
  if (keys.length === 0) return 'No build results yet. A CI job reports one by POSTing {"pipeline", "status"} to /hooks/ci.';
  const lines = ['Last results:'];
  for (const key of keys) {
    const value = await ctx.storage.get(key);
    if (!isObject(value)) continue;
    const [icon] = WORDS[value.outcome] || ['➖'];
    lines.push(`${icon} ${key.slice('last:'.length)}: ${value.status}${value.branch ? ` on ${value.branch}` : ''}, ${String(value.at).slice(0, 16).replace('T', ' ')} UTC${value.url ? ` ${value.url}` : ''}`);
  }
  return lines.join('\n');
}

export default {
  commands: {
    ci: (ctx) => lastResults(ctx),
  },
  onWebhook,
};
