// The batch plugin: starts batch jobs with the operator's batch-start runbook and reads their state with
// batch-status. A started job is remembered in the plugin's storage; a schedule (`watchCron`, every 15 seconds by
// default) asks batch-status about the remembered jobs and posts to the builds channel when one has completed or
// failed, so the people who started it learn the outcome without asking. Runs in the opsroom sandbox: no imports.

const START_USAGE = 'usage: batch start <job>';
const WATCH = 'batch-watch';
const KEY_PREFIX = 'job:';
const JOB = /^[a-z][a-z0-9-]{0,39}$/;
const FINISHED = ['completed', 'failed'];
const STATES = ['running', 'completed', 'failed'];
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
const OUTPUT_CHARS = 1500;

class Problem extends Error {}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function oneLine(text, max) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function messageOf(error) {
  return isObject(error) && typeof error.message === 'string' ? error.message : String(error);
}

/** Runs a runbook and returns its result; anything but a clean exit 0 becomes a Problem saying what happened. */
async function runRunbook(ctx, name, params, doing) {
  let result;
  try {
    result = await ctx.runbook(name, params);
  } catch (error) {
    throw new Problem(`Could not ${doing}: ${messageOf(error)}`);
  }
  if (!isObject(result) || typeof result.stdout !== 'string') throw new Problem(`Could not ${doing}: the ${name} runbook returned no result.`);
  if (result.timedOut) throw new Problem(`Could not ${doing}: the ${name} runbook did not finish within its time limit and was stopped.`);
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? 'was killed by a signal' : `exited with ${result.exitCode}`;
    throw new Problem(`Could not ${doing}: the ${name} runbook ${how}: ${oneLine(result.stderr || result.stdout || 'no output', 300)}`);
  }
  return result;
}

function watchCronOf(config) {
  const cron = config.watchCron === undefined ? '*/15 * * * * *' : config.watchCron;
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw new Problem(`plugins.config.batch.watchCron must be a cron expression such as "*/15 * * * * *" (got ${JSON.stringify(cron)})`);
  }
  return cron.trim();
}

/** batch-status prints one job per line, `<job> <state> [details]`; other lines (headings, notes) are skipped. */
function parseStates(stdout) {
  const states = new Map();
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    const [job, state] = line.split(/\s+/);
    if (job !== undefined && state !== undefined && STATES.includes(state.toLowerCase())) states.set(job, { state: state.toLowerCase(), line });
  }
  return states;
}

function fenced(text) {
  const cut = text.length > OUTPUT_CHARS ? `…${text.slice(-OUTPUT_CHARS)}` : text;
  return '```\n' + cut.replace(/```/g, '`\u200b`\u200b`') + '\n```';
}

function startedBy(tracked) {
  const by = typeof tracked.by === 'string' && tracked.by ? ` by ${tracked.by}` : '';
  const at = typeof tracked.startedAt === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(tracked.startedAt) ? ` at ${tracked.startedAt.slice(11, 16)} UTC` : '';
  return by || at ? ` (started${by}${at})` : '';
}

/** Remembers the job and makes sure the watch schedule exists; resolves to undefined, or why it cannot watch. */
async function track(ctx, job) {
  try {
    const user = ctx.invocation && ctx.invocation.user ? ctx.invocation.user.name : undefined;
    await ctx.storage.set(`${KEY_PREFIX}${job}`, { job, startedAt: new Date().toISOString(), by: user });
    await ctx.schedule(WATCH, watchCronOf(ctx.config || {}));
    return undefined;
  } catch (error) {
    ctx.log.warn('cannot watch a batch job for completion', { job, error: messageOf(error) });
    return messageOf(error);
  }
}

async function start(ctx, args) {
  const job = String(args.job);
  if (!JOB.test(job)) return `${JSON.stringify(oneLine(job, 40))} is not a job name (a lower-case letter, then up to 39 lower-case letters, digits or -).\n${START_USAGE}`;
  const result = await runRunbook(ctx, 'batch-start', { job }, `start the batch job ${job}`);
  const output = oneLine(result.stdout, 300);
  const cannotWatch = await track(ctx, job);
  const next = cannotWatch === undefined
    ? `I will post to the builds channel when it completes; \`batch status\` shows its state meanwhile.`
    : `\`batch status\` shows when it completes (I cannot watch it myself: ${cannotWatch}).`;
  return `Started batch job ${job}${output ? `: ${output}` : '.'}\n${next}`;
}

async function status(ctx) {
  const result = await runRunbook(ctx, 'batch-status', {}, 'read the state of the batch jobs');
  const text = result.stdout.trim();
  const lines = [text === '' ? 'The batch-status runbook printed nothing.' : `Batch jobs:\n${fenced(text)}`];
  try {
    const watched = (await ctx.storage.list(KEY_PREFIX)).map((key) => key.slice(KEY_PREFIX.length));
    if (watched.length > 0) lines.push(`Watching for completion (posted to the builds channel): ${watched.join(', ')}.`);
  } catch (error) {
    ctx.log.warn('cannot list the watched batch jobs', { error: messageOf(error) });
  }
  return lines.join('\n');
}

async function settle(ctx, key, tracked, current) {
  const job = key.slice(KEY_PREFIX.length);
  try {
    await ctx.post('builds', `Batch job ${job} ${current.state}${startedBy(tracked)}: ${oneLine(current.line, 300)}`);
  } catch (error) {
    ctx.log.warn('cannot post a batch job completion', { job, error: messageOf(error) });
  }
  await ctx.storage.delete(key);
}

/** One tick of the watch: every remembered job that batch-status reports finished is posted once and forgotten. */
async function watchTick(ctx) {
  const keys = await ctx.storage.list(KEY_PREFIX);
  if (keys.length === 0) return;
  let result;
  try {
    result = await runRunbook(ctx, 'batch-status', {}, 'read the state of the batch jobs');
  } catch (error) {
    ctx.log.warn('the batch watch could not read the jobs; it tries again on the next tick', { error: messageOf(error) });
    return;
  }
  const states = parseStates(result.stdout);
  for (const key of keys) {
    const tracked = await ctx.storage.get(key);
    const current = states.get(key.slice(KEY_PREFIX.length));
    if (!isObject(tracked)) {
      await ctx.storage.delete(key);
    } else if (current !== undefined && FINISHED.includes(current.state)) {
      await settle(ctx, key, tracked, current);
    } else if (current === undefined && !(Date.now() - Date.parse(tracked.startedAt) < FORGET_AFTER_MS)) {
      ctx.log.warn('batch-status has not reported a watched job for a day; it is no longer watched', { job: key.slice(KEY_PREFIX.length) });
      await ctx.storage.delete(key);
    }
  }
}

async function answer(work) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Problem) return error.message;
    throw error;
  }
}

export default {
  commands: {
    batchStart: (ctx, args) => answer(() => start(ctx, args)),
    batchStatus: (ctx) => answer(() => status(ctx)),
  },
  async onSchedule(ctx, job) {
    if (isObject(job) && job.name === WATCH) await watchTick(ctx);
  },
  async setup(ctx) {
    try {
      await ctx.schedule(WATCH, watchCronOf(ctx.config || {}));
    } catch (error) {
      ctx.log.warn('the batch watch is not scheduled, so completions are not posted; `batch status` still shows them', { error: messageOf(error) });
    }
  },
};
