// The logs plugin: the latest lines of a service's log, from Loki's query_range API or from the operator's
// tail-log runbook, as the configuration says per service. Output that does not fit one chat message is cut
// from the oldest end and the reply says how many lines were cut. Runs in the opsroom sandbox: no imports, ctx only.

const USAGE = 'usage: logs <service> [--lines n] [--grep text]';
const MESSAGE_CHARS = 1900;
const LINE_CHARS = 400;
const GREP_CHARS = 200;
const DEFAULT_MAX_LINES = 500;
const MAX_MAX_LINES = 5000;
const RUNBOOK = 'tail-log';

class Problem extends Error {}

function typeName(value) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

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

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function maxLinesOf(config) {
  const value = config.maxLines === undefined ? DEFAULT_MAX_LINES : config.maxLines;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MAX_LINES) {
    throw new Problem(`The logs plugin is misconfigured: plugins.config.logs.maxLines must be a whole number from 1 to ${MAX_MAX_LINES} (got ${JSON.stringify(value)}).`);
  }
  return value;
}

/** The source of one service: `{ kind: 'loki', base, selector }` or `{ kind: 'runbook', name, params }`. */
function sourceOf(config, service) {
  const services = config.services === undefined ? {} : config.services;
  const at = `plugins.config.logs.services`;
  if (!isObject(services)) throw new Problem(`The logs plugin is misconfigured: ${at} must be an object of service -> source (got ${typeName(services)}).`);
  if (!Object.prototype.hasOwnProperty.call(services, service)) {
    const known = Object.keys(services);
    const list = known.length > 0 ? `services with logs: ${known.join(', ')}` : `no services are configured; an operator adds them under ${at}`;
    throw new Problem(`There is no log source for ${JSON.stringify(oneLine(service, 40))} (${list}).\n${USAGE}`);
  }
  const entry = services[service];
  const here = `${at}.${service}`;
  const bad = (what) => new Problem(`The logs plugin is misconfigured: ${here} ${what}.`);
  if (!isObject(entry)) throw bad(`must be { loki: URL, selector? } or { runbook: "${RUNBOOK}", params? } (got ${typeName(entry)})`);
  if ((entry.loki === undefined) === (entry.runbook === undefined)) throw bad('must name exactly one of loki or runbook');
  if (entry.runbook !== undefined) {
    if (entry.runbook !== RUNBOOK) throw bad(`names the runbook ${JSON.stringify(entry.runbook)}, but this plugin may only run the runbook ${RUNBOOK}`);
    if (entry.params !== undefined && !isObject(entry.params)) throw bad(`.params must be an object of runbook parameters (got ${typeName(entry.params)})`);
    return { kind: 'runbook', name: RUNBOOK, params: entry.params || {} };
  }
  // The sandbox is bare V8, without the URL class; the host parses the final URL in full before any request.
  const base = typeof entry.loki === 'string' && /^https?:\/\/[^/?#@\s]+(\/[^?#\s]*)?$/i.test(entry.loki.trim()) ? entry.loki.trim().replace(/\/+$/, '') : undefined;
  if (base === undefined) throw bad(`.loki must be the http(s) URL of Loki, without query or fragment (got ${JSON.stringify(entry.loki)})`);
  const selector = entry.selector === undefined ? `{service="${service}"}` : entry.selector;
  if (typeof selector !== 'string' || !/^\{.*\}$/s.test(selector.trim())) throw bad(`.selector must be a LogQL stream selector such as {app="${service}"} (got ${JSON.stringify(selector)})`);
  return { kind: 'loki', base, selector: selector.trim() };
}

/** A LogQL string literal: backslashes and double quotes escaped. */
function logqlString(text) {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function compareTimestamps(a, b) {
  // Nanosecond epochs as decimal strings: a longer string is a later time; equal lengths compare as text.
  return a[0].length - b[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function lokiEntries(json) {
  if (!isObject(json) || json.status !== 'success' || !isObject(json.data) || !Array.isArray(json.data.result)) {
    throw new Error('the answer is not a Loki query result (expected {"status":"success","data":{"result":[...]}})');
  }
  if (json.data.resultType !== undefined && json.data.resultType !== 'streams') {
    throw new Error(`the query returned ${json.data.resultType}, not log streams; check the selector`);
  }
  const entries = [];
  for (const stream of json.data.result) {
    const values = isObject(stream) && Array.isArray(stream.values) ? stream.values : [];
    for (const value of values) {
      if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') entries.push(value);
    }
  }
  return entries.sort(compareTimestamps).map((entry) => entry[1]);
}

async function fromLoki(ctx, service, source, lines, grep) {
  const query = source.selector + (grep === undefined ? '' : ` |= ${logqlString(grep)}`);
  const url = `${source.base}/loki/api/v1/query_range?query=${encodeURIComponent(query)}&limit=${lines}&direction=backward`;
  let response;
  try {
    response = await ctx.fetch(url, { method: 'GET', headers: { accept: 'application/json' } });
  } catch (error) {
    throw new Problem(`Could not read the logs of ${service} from Loki: ${messageOf(error)}`);
  }
  const body = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Problem(`Loki answered HTTP ${response.status} for the logs of ${service}${body.trim() ? `: ${oneLine(body, 200)}` : ''}`);
  }
  try {
    return { lines: lokiEntries(JSON.parse(body)).slice(-lines), notes: [] };
  } catch (error) {
    throw new Problem(`Loki's answer for ${service} could not be read: ${error instanceof SyntaxError ? `not JSON (${oneLine(body, 100)})` : messageOf(error)}`);
  }
}

async function fromRunbook(ctx, service, source, lines, grep) {
  let result;
  try {
    result = await ctx.runbook(source.name, Object.assign({}, source.params, { lines }));
  } catch (error) {
    throw new Problem(`Could not read the logs of ${service}: ${messageOf(error)}`);
  }
  if (!isObject(result) || typeof result.stdout !== 'string') throw new Problem(`The ${source.name} runbook gave no output for ${service}.`);
  if (result.timedOut) throw new Problem(`The ${source.name} runbook did not finish in its time limit while reading the logs of ${service}; it was stopped.`);
  if (result.exitCode !== 0) {
    const said = oneLine(result.stderr || result.stdout || 'no output', 300);
    throw new Problem(`The ${source.name} runbook failed for ${service} (${result.exitCode === null ? 'killed by a signal' : `exit ${result.exitCode}`}): ${said}`);
  }
  let all = result.stdout.split(/\r?\n/);
  const notes = [];
  if (result.truncated) {
    all = all.slice(0, -1); // the last line was cut mid-way by the output cap
    notes.push(`The ${source.name} runbook printed more than its output limit, so the newest lines are missing; an operator can raise runbooks.${source.name}.maxOutputKb.`);
  }
  while (all.length > 0 && all[all.length - 1] === '') all.pop();
  const matching = grep === undefined ? all : all.filter((line) => line.includes(grep));
  return { lines: matching.slice(-lines), notes };
}

function fenced(lines) {
  return '```\n' + lines.join('\n').replace(/```/g, '`\u200b`\u200b`') + '\n```';
}

/** The reply: as many of the newest lines as fit one chat message, and how many older ones were cut. */
function render(service, origin, grep, found) {
  const what = `${service}${grep === undefined ? '' : ` containing ${JSON.stringify(grep)}`} (${origin})`;
  if (found.lines.length === 0) return [`No log lines for ${what}.`, ...found.notes].join('\n');
  let shortened = false;
  const lines = found.lines.map((line) => {
    if (line.length <= LINE_CHARS) return line;
    shortened = true;
    return `${line.slice(0, LINE_CHARS - 1)}…`;
  });
  const notes = shortened ? [...found.notes, `Lines longer than ${LINE_CHARS} characters were shortened.`] : found.notes;
  const total = lines.length;
  const header = (shown) => (shown === total
    ? `Last ${plural(total, 'line')} of ${what}:`
    : `Last ${shown} of ${total} lines of ${what}; ${plural(total - shown, 'older line')} cut to fit one message:`);
  const fixed = header(0).length + 12 + notes.reduce((sum, note) => sum + note.length + 1, 0);
  let used = fixed;
  let shown = 0;
  while (shown < total && used + lines[total - 1 - shown].length + 1 <= MESSAGE_CHARS) {
    used += lines[total - 1 - shown].length + 1;
    shown++;
  }
  if (shown === 0) return [`The newest log line of ${what} does not fit in one message.`, ...notes].join('\n');
  return [header(shown), fenced(lines.slice(total - shown)), ...notes].join('\n');
}

export default {
  commands: {
    async logs(ctx, args) {
      const config = ctx.config || {};
      const service = String(args.service);
      const lines = args.lines === undefined ? 50 : args.lines;
      const grep = typeof args.grep === 'string' && args.grep.length > 0 ? args.grep : undefined;
      try {
        const maxLines = maxLinesOf(config);
        if (!Number.isInteger(lines) || lines < 1 || lines > maxLines) {
          return `--lines must be a whole number from 1 to ${maxLines} (got ${JSON.stringify(lines)}).\n${USAGE}`;
        }
        if (grep !== undefined && grep.length > GREP_CHARS) return `--grep takes at most ${GREP_CHARS} characters (got ${grep.length}).\n${USAGE}`;
        const source = sourceOf(config, service);
        const found = source.kind === 'loki' ? await fromLoki(ctx, service, source, lines, grep) : await fromRunbook(ctx, service, source, lines, grep);
        return render(service, source.kind === 'loki' ? 'Loki' : `runbook ${source.name}`, grep, found);
      } catch (error) {
        if (error instanceof Problem) return error.message;
        throw error;
      }
    },
  },
};
