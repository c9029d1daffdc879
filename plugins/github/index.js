// The github plugin: turns GitHub webhooks (push, pull_request, workflow_run, check_suite) into compact posts in the
// commits and builds channels. The host has already checked X-Hub-Signature-256 and dropped redeliveries before
// this code runs. Runs in the opsroom sandbox: no imports.

const COMMIT_LINE = 72;
const CONCLUSIONS = {
  success: ['✅', 'succeeded'], failure: ['❌', 'failed'], timed_out: ['⏱️', 'timed out'], cancelled: ['⏹️', 'was cancelled'],
  action_required: ['⚠️', 'needs action'], neutral: ['➖', 'finished (neutral)'], skipped: ['⏭️', 'was skipped'], stale: ['➖', 'went stale'],
};
const COLORS = { success: '#2da44e', failure: '#cf222e', timed_out: '#cf222e', cancelled: '#6e7781' };

class BadPayload extends Error {}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field the event must have: `need(payload, 'repository.full_name', 'string')`. */
function need(payload, path, type) {
  let value = payload;
  for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
  const ok = type === 'array' ? Array.isArray(value) : type === 'object' ? isObject(value) : typeof value === type;
  if (!ok) throw new BadPayload(`the payload has no ${type} ${path}`);
  return value;
}

function optional(payload, path) {
  let value = payload;
  for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
  return value;
}

/** One line, shortened visibly with an ellipsis, never silently. */
function oneLine(text, max) {
  const flat = String(text).split('\n')[0].replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function duration(fromIso, toIso) {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function maxCommitsOf(config) {
  const value = config.maxCommits === undefined ? 5 : config.maxCommits;
  if (!Number.isInteger(value) || value < 1 || value > 20) throw new Error(`plugins.config.github.maxCommits must be a whole number from 1 to 20 (got ${JSON.stringify(value)})`);
  return value;
}

function authorOf(commit) {
  const author = isObject(commit.author) ? commit.author : {};
  return author.username || author.name || 'unknown';
}

function pushMessage(payload, maxCommits) {
  const repo = need(payload, 'repository.full_name', 'string');
  const ref = need(payload, 'ref', 'string');
  const commits = need(payload, 'commits', 'array').filter(isObject);
  const pusher = optional(payload, 'pusher.name') || optional(payload, 'sender.login') || 'somebody';
  const compare = typeof payload.compare === 'string' ? payload.compare : undefined;
  const isTag = ref.startsWith('refs/tags/');
  const name = ref.replace(/^refs\/(heads|tags)\//, '');
  const what = isTag ? `tag \`${name}\`` : `branch \`${name}\``;
  if (payload.deleted === true) return { text: `**${repo}**: ${pusher} deleted ${what}` };
  if (commits.length === 0) {
    return { text: `**${repo}**: ${pusher} ${payload.created === true ? 'created' : 'pushed'} ${what}`, card: compare ? { url: compare } : undefined };
  }
  const verb = payload.forced === true ? 'force-pushed' : 'pushed';
  const shown = commits.slice(0, maxCommits).map((c) => `\`${String(c.id || '').slice(0, 7)}\` ${oneLine(c.message || '', COMMIT_LINE)} (${authorOf(c)})`);
  if (commits.length > maxCommits) shown.push(`… and ${commits.length - maxCommits} more`);
  return {
    text: `**${repo}**: ${pusher} ${verb} ${plural(commits.length, 'commit')} to ${isTag ? what : `\`${name}\``}`,
    card: { title: `[${repo}:${name}] ${plural(commits.length, 'new commit')}`, text: shown.join('\n'), ...(compare ? { url: compare } : {}), color: '#0969da' },
  };
}

function pullRequestMessage(payload) {
  const action = need(payload, 'action', 'string');
  const pr = need(payload, 'pull_request', 'object');
  const merged = action === 'closed' && pr.merged === true;
  const verb = merged ? 'merged' : action;
  if (!['opened', 'reopened', 'closed', 'ready_for_review'].includes(action)) return undefined;
  const repo = need(payload, 'repository.full_name', 'string');
  const number = need(payload, 'pull_request.number', 'number');
  const title = oneLine(need(payload, 'pull_request.title', 'string'), 120);
  const actor = (merged ? optional(pr, 'merged_by.login') : undefined) || optional(payload, 'sender.login') || optional(pr, 'user.login') || 'somebody';
  const head = optional(pr, 'head.ref');
  const base = optional(pr, 'base.ref');
  const fields = [
    ...(head && base ? [{ name: 'Branches', value: `${head} → ${base}`, inline: true }] : []),
    ...(optional(pr, 'user.login') ? [{ name: 'Author', value: pr.user.login, inline: true }] : []),
    ...(Number.isInteger(pr.commits) ? [{ name: 'Commits', value: String(pr.commits), inline: true }] : []),
    ...(Number.isInteger(pr.additions) && Number.isInteger(pr.deletions) ? [{ name: 'Changes', value: `+${pr.additions} −${pr.deletions}`, inline: true }] : []),
  ];
  const shownVerb = verb === 'ready_for_review' ? 'marked ready for review' : verb;
  return {
    text: `**${repo}**: ${actor} ${shownVerb} pull request #${number}: ${title}`,
    card: { title: `#${number} ${title}`, ...(typeof pr.html_url === 'string' ? { url: pr.html_url } : {}), fields, color: merged ? '#8250df' : action === 'closed' ? '#cf222e' : '#2da44e' },
  };
}

function conclusionWords(conclusion) {
  return CONCLUSIONS[conclusion] || ['➖', `finished (${conclusion || 'no conclusion'})`];
}

function workflowRunMessage(payload) {
  if (need(payload, 'action', 'string') !== 'completed') return undefined;
  const run = need(payload, 'workflow_run', 'object');
  const repo = need(payload, 'repository.full_name', 'string');
  const name = need(payload, 'workflow_run.name', 'string');
  const conclusion = run.conclusion || 'unknown';
  const [icon, words] = conclusionWords(conclusion);
  const took = duration(run.run_started_at || run.created_at, run.updated_at);
  const branch = typeof run.head_branch === 'string' ? run.head_branch : undefined;
  const commit = optional(run, 'head_commit.message');
  const fields = [
    { name: 'Status', value: conclusion, inline: true },
    ...(took ? [{ name: 'Duration', value: took, inline: true }] : []),
    ...(branch ? [{ name: 'Branch', value: branch, inline: true }] : []),
    ...(typeof run.event === 'string' ? [{ name: 'Event', value: run.event, inline: true }] : []),
    ...(typeof run.head_sha === 'string' ? [{ name: 'Commit', value: `${run.head_sha.slice(0, 7)}${commit ? ` ${oneLine(commit, COMMIT_LINE)}` : ''}` }] : []),
  ];
  return {
    text: `${icon} **${repo}**: ${name} #${run.run_number ?? '?'} ${words}${branch ? ` on \`${branch}\`` : ''}${took ? ` in ${took}` : ''}`,
    card: { title: `${name} #${run.run_number ?? '?'}: ${conclusion}`, ...(typeof run.html_url === 'string' ? { url: run.html_url } : {}), fields, color: COLORS[conclusion] || '#6e7781' },
  };
}

function checkSuiteMessage(payload) {
  if (need(payload, 'action', 'string') !== 'completed') return undefined;
  const suite = need(payload, 'check_suite', 'object');
  const repo = need(payload, 'repository.full_name', 'string');
  const sha = need(payload, 'check_suite.head_sha', 'string');
  const conclusion = suite.conclusion || 'unknown';
  const [icon, words] = conclusionWords(conclusion);
  const app = optional(suite, 'app.name') || 'checks';
  const took = duration(suite.created_at, suite.updated_at);
  const branch = typeof suite.head_branch === 'string' ? suite.head_branch : undefined;
  const htmlRepo = optional(payload, 'repository.html_url');
  const url = typeof htmlRepo === 'string' ? `${htmlRepo}/commit/${sha}/checks` : undefined;
  const fields = [
    { name: 'Status', value: conclusion, inline: true },
    ...(took ? [{ name: 'Duration', value: took, inline: true }] : []),
    ...(branch ? [{ name: 'Branch', value: branch, inline: true }] : []),
    { name: 'Commit', value: `${sha.slice(0, 7)}${optional(suite, 'head_commit.message') ? ` ${oneLine(suite.head_commit.message, COMMIT_LINE)}` : ''}` },
  ];
  return {
    text: `${icon} **${repo}**: ${app} checks ${words} on ${branch ? `\`${branch}\`` : sha.slice(0, 7)}${took ? ` in ${took}` : ''}`,
    card: { title: `${app}: ${conclusion}`, ...(url ? { url } : {}), fields, color: COLORS[conclusion] || '#6e7781' },
  };
}

/** GitHub sends JSON, or with the form content type a `payload=<json>` field. */
function bodyJson(req) {
  const type = String(req.headers['content-type'] || '');
  if (!type.includes('application/x-www-form-urlencoded')) return req.json();
  const field = req.body.split('&').find((part) => part.startsWith('payload='));
  if (field === undefined) throw new SyntaxError('the form has no payload field');
  return JSON.parse(decodeURIComponent(field.slice('payload='.length).replace(/\+/g, ' ')));
}

const HANDLERS = {
  push: (payload, config) => ['commits', pushMessage(payload, maxCommitsOf(config))],
  pull_request: (payload) => ['commits', pullRequestMessage(payload)],
  workflow_run: (payload) => ['builds', workflowRunMessage(payload)],
  check_suite: (payload) => ['builds', checkSuiteMessage(payload)],
};

function withoutEmptyCard(message) {
  return message.card === undefined ? { text: message.text } : message;
}

export default {
  async onWebhook(ctx, req) {
    const event = req.headers['x-github-event'];
    if (typeof event !== 'string' || event === '') return { status: 400, body: 'the X-GitHub-Event header is missing' };
    if (event === 'ping') return { status: 200, body: 'pong' };
    const handler = HANDLERS[event];
    if (handler === undefined) return { status: 200, body: `ignored: opsroom does not post ${event} events` };
    let payload;
    try {
      payload = bodyJson(req);
    } catch (error) {
      return { status: 400, body: `the body is not JSON: ${error.message}` };
    }
    if (!isObject(payload)) return { status: 400, body: 'the body is not a JSON object' };
    let alias;
    let message;
    try {
      [alias, message] = handler(payload, ctx.config || {});
    } catch (error) {
      if (error instanceof BadPayload) return { status: 400, body: `not a ${event} event: ${error.message}` };
      throw error;
    }
    if (message === undefined) return { status: 200, body: `ignored: ${event} ${payload.action || ''}`.trim() };
    await ctx.post(alias, withoutEmptyCard(message));
    return { status: 200, body: `posted to ${alias}` };
  },
};
