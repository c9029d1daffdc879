// The status plugin: checks the health endpoints listed in its configuration (`services: { name: url }`) at once,
// each with its own timeout, and answers with one compact table. Runs in the opsroom sandbox: no imports, ctx only.

const USAGE = 'usage: status [service]';
const DEFAULT_TIMEOUT_MS = 5000;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 60000;
const DETAIL_CHARS = 60;
const VERSION_CHARS = 24;
const DOWN_STATUSES = ['down', 'fail', 'failed', 'failure', 'error', 'unhealthy', 'critical', 'out_of_service'];
const WARN_STATUSES = ['warn', 'warning', 'degraded'];
const TIMED_OUT = { timedOut: true };

class ConfigProblem extends Error {}

function typeName(value) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function oneLine(text, max) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function messageOf(error) {
  return error !== null && typeof error === 'object' && typeof error.message === 'string' ? error.message : String(error);
}

/** The configured services in order, each `{ name, url }`; throws ConfigProblem for a malformed section. */
function servicesOf(config) {
  const services = config.services === undefined ? {} : config.services;
  if (services === null || typeof services !== 'object' || Array.isArray(services)) {
    throw new ConfigProblem(`plugins.config.status.services must be an object of service name -> health URL (got ${typeName(services)})`);
  }
  return Object.keys(services).map((name) => ({ name, url: services[name] }));
}

function timeoutOf(config) {
  const value = config.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : config.timeoutMs;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_TIMEOUT_MS || value > MAX_TIMEOUT_MS) {
    throw new ConfigProblem(`plugins.config.status.timeoutMs must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS} (got ${JSON.stringify(value)})`);
  }
  return value;
}

/**
 * `{ href, host }` of an http(s) URL, or undefined. The sandbox is bare V8, without the URL class; the host checks
 * the URL in full again before any request, so this only has to find the host for messages.
 */
function parseUrl(url) {
  if (typeof url !== 'string') return undefined;
  const match = /^(https?):\/\/([^/?#@\s]+)([/?#]\S*)?$/i.exec(url.trim());
  if (match === null) return undefined;
  const scheme = match[1].toLowerCase();
  const host = match[2].toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '');
  return { href: url.trim(), host };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A version the endpoint reports: `version` (also the health+json draft's `releaseId`), or Spring-style `build.version`. */
function versionOf(json) {
  if (json === null || typeof json !== 'object') return undefined;
  const candidates = [json.version, json.releaseId, json.build && json.build.version, json.app && json.app.version, json.info && json.info.version];
  const found = candidates.find((v) => typeof v === 'string' || typeof v === 'number');
  return found === undefined ? undefined : oneLine(found, VERSION_CHARS);
}

/** up/warn/down from the HTTP status and, when the body is JSON with a `status`, what the service says of itself. */
function stateOf(status, json) {
  if (status < 200 || status > 299) return 'down';
  const reported = json !== null && typeof json === 'object' && typeof json.status === 'string' ? json.status.toLowerCase() : '';
  if (DOWN_STATUSES.includes(reported)) return 'down';
  return WARN_STATUSES.includes(reported) ? 'warn' : 'up';
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(ctx, service, timeoutMs) {
  const url = parseUrl(service.url);
  if (url === undefined) {
    return { name: service.name, state: 'down', detail: `not an http(s) URL in plugins.config.status.services (got ${oneLine(JSON.stringify(service.url), 40)})` };
  }
  const started = Date.now();
  let response;
  try {
    response = await withTimeout(ctx.fetch(url.href, { method: 'GET', headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' } }), timeoutMs);
  } catch (error) {
    // Only a missing grant gets the grant hint; other refusals (a private address, say) are shown as they are.
    const denied = error !== null && typeof error === 'object' && error.name === 'CapabilityDenied' && /not granted/.test(messageOf(error));
    if (denied) return { name: service.name, state: 'down', detail: 'not granted (see below)', deniedHost: url.host };
    return { name: service.name, state: 'down', detail: oneLine(messageOf(error), DETAIL_CHARS) };
  }
  if (response === TIMED_OUT) return { name: service.name, state: 'down', detail: `no answer within ${timeoutMs} ms` };
  const latencyMs = Date.now() - started;
  const body = await response.text();
  const json = parseJson(body);
  const state = stateOf(response.status, json);
  const said = json !== null && typeof json === 'object' && typeof json.status === 'string' ? `reports ${oneLine(json.status, 20)}` : '';
  let detail = '';
  if (response.status < 200 || response.status > 299) detail = `HTTP ${response.status}${body.trim() ? `: ${oneLine(body, DETAIL_CHARS)}` : ''}`;
  else if (state !== 'up') detail = said;
  return { name: service.name, state, latencyMs, version: versionOf(json), detail };
}

function table(rows) {
  const header = ['SERVICE', 'STATE', 'LATENCY', 'VERSION', 'DETAIL'];
  const cells = rows.map((r) => [r.name, r.state, r.latencyMs === undefined ? '-' : `${r.latencyMs} ms`, r.version === undefined ? '-' : r.version, r.detail || '']);
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const lines = all.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  return '```\n' + lines.join('\n').replace(/```/g, '`\u200b`\u200b`') + '\n```';
}

function summary(rows) {
  const up = rows.filter((r) => r.state === 'up').length;
  if (rows.length === 1) return `**${rows[0].name} is ${rows[0].state === 'warn' ? 'up, with a warning' : rows[0].state}**`;
  return up === rows.length ? `**All ${rows.length} services up**` : `**${up} of ${rows.length} services up**`;
}

function grantNotes(rows) {
  const hosts = [...new Set(rows.filter((r) => r.deniedHost !== undefined).map((r) => r.deniedHost))];
  return hosts.map((host) => `To check ${host}, an admin grants it: \`plugin grant status net:${host}\``);
}

export default {
  commands: {
    async status(ctx, args) {
      const config = ctx.config || {};
      let services;
      let timeoutMs;
      try {
        services = servicesOf(config);
        timeoutMs = timeoutOf(config);
      } catch (error) {
        if (error instanceof ConfigProblem) return `The status plugin is misconfigured: ${error.message}.`;
        throw error;
      }
      if (services.length === 0) {
        return 'No services are configured to check. An operator lists them in `plugins.config.status.services` as `{ name: health URL }` and grants each host with `plugin grant status net:<host>`.';
      }
      let chosen = services;
      if (typeof args.service === 'string') {
        chosen = services.filter((s) => s.name === args.service);
        if (chosen.length === 0) {
          return `There is no service ${JSON.stringify(oneLine(args.service, 40))} to check (configured: ${services.map((s) => s.name).join(', ')}).\n${USAGE}`;
        }
      }
      const rows = await Promise.all(chosen.map((service) => check(ctx, service, timeoutMs)));
      return [summary(rows), table(rows), ...grantNotes(rows)].join('\n');
    },
  },
};
