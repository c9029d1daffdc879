// The alerts plugin: posts Prometheus Alertmanager notifications (webhook payload version 4) to the monit channel,
// grouped as Alertmanager grouped them, with labels and runbook links; lists what is firing now and creates silences
// through Alertmanager's v2 API. The operator names Alertmanager in plugins.config.alerts.alertmanager and grants its
// host (`plugin grant alerts net:<host>`). Runs in the opsroom sandbox: no imports.

const ALERTNAME = /^[A-Za-z0-9_:.-]{1,200}$/;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const SILENCE_USAGE = 'usage: silence <alertname> <duration> [--comment text]';
const HIDDEN_LABELS = new Set(['alertname']);

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

function settingsOf(config) {
  const at = 'plugins.config.alerts';
  const maxAlerts = config.maxAlerts === undefined ? 10 : config.maxAlerts;
  if (!Number.isInteger(maxAlerts) || maxAlerts < 1 || maxAlerts > 50) throw new Problem(`The alerts plugin is misconfigured: ${at}.maxAlerts must be a whole number from 1 to 50.`);
  const maxSilenceHours = config.maxSilenceHours === undefined ? 168 : config.maxSilenceHours;
  if (!Number.isInteger(maxSilenceHours) || maxSilenceHours < 1 || maxSilenceHours > 8760) throw new Problem(`The alerts plugin is misconfigured: ${at}.maxSilenceHours must be a whole number from 1 to 8760.`);
  const base = typeof config.alertmanager === 'string' ? config.alertmanager.trim().replace(/\/+$/, '') : '';
  if (base !== '' && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(base)) throw new Problem(`The alerts plugin is misconfigured: ${at}.alertmanager must be a URL such as http://alertmanager:9093 (got ${JSON.stringify(oneLine(base, 80))}).`);
  return { maxAlerts, maxSilenceHours, alertmanager: base };
}

function alertmanagerOf(settings) {
  if (settings.alertmanager) return settings.alertmanager;
  throw new Problem('Alertmanager is not configured: an operator sets plugins.config.alerts.alertmanager (such as http://alertmanager:9093) and grants its host with `plugin grant alerts net:<host>`.');
}

function labelText(labels, skip) {
  return Object.keys(labels).filter((k) => !HIDDEN_LABELS.has(k) && !(skip && Object.prototype.hasOwnProperty.call(skip, k))).sort()
    .map((k) => `${k}=${oneLine(labels[k], 60)}`).join(', ');
}

function clock(iso) {
  return typeof iso === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : undefined;
}

function runbookOf(annotations) {
  const url = annotations.runbook_url || annotations.runbook;
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

// ---- the webhook ----------------------------------------------------------------------------------------------

function checkPayload(payload) {
  if (!isObject(payload)) throw new Problem('the body is not a JSON object');
  if (payload.version !== '4') throw new Problem(`expected an Alertmanager webhook payload of version "4", got ${JSON.stringify(payload.version)}`);
  if (!Array.isArray(payload.alerts)) throw new Problem('the payload has no alerts list');
  for (const [i, alert] of payload.alerts.entries()) {
    if (!isObject(alert) || (alert.status !== 'firing' && alert.status !== 'resolved') || !isObject(alert.labels)) {
      throw new Problem(`alerts[${i}] needs a status of firing or resolved and a labels object`);
    }
  }
  return payload;
}

function alertLine(alert, common) {
  const labels = isObject(alert.labels) ? alert.labels : {};
  const annotations = isObject(alert.annotations) ? alert.annotations : {};
  const what = annotations.summary || annotations.description || labels.alertname || 'alert';
  const extra = labelText(labels, common);
  const since = alert.status === 'firing' ? clock(alert.startsAt) : clock(alert.endsAt);
  const runbook = runbookOf(annotations);
  return [
    `${alert.status === 'firing' ? '🔥' : '✅'} ${oneLine(what, 160)}${extra ? ` (${extra})` : ''}${since ? `, ${alert.status === 'firing' ? 'since' : 'resolved'} ${since}` : ''}`,
    ...(runbook ? [`   runbook: ${runbook}`] : []),
  ].join('\n');
}

function groupMessage(payload, settings) {
  const common = isObject(payload.commonLabels) ? payload.commonLabels : {};
  const firing = payload.alerts.filter((a) => a.status === 'firing');
  const resolved = payload.alerts.filter((a) => a.status === 'resolved');
  const name = common.alertname || (isObject(payload.groupLabels) && payload.groupLabels.alertname) || 'alerts';
  const commonText = labelText(common);
  const counts = [firing.length ? `🔥 FIRING ${firing.length}` : '', resolved.length ? `✅ RESOLVED ${resolved.length}` : ''].filter(Boolean).join(', ');
  const shown = [...firing, ...resolved].slice(0, settings.maxAlerts).map((a) => alertLine(a, common));
  const notShown = payload.alerts.length - shown.length + (Number.isInteger(payload.truncatedAlerts) ? payload.truncatedAlerts : 0);
  if (notShown > 0) shown.push(`… and ${notShown} more alert${notShown === 1 ? '' : 's'} of this group`);
  const annotations = isObject(payload.commonAnnotations) ? payload.commonAnnotations : {};
  const runbook = runbookOf(annotations);
  const external = typeof payload.externalURL === 'string' && /^https?:\/\//.test(payload.externalURL) ? payload.externalURL.replace(/\/+$/, '') : undefined;
  const fields = [
    ...Object.keys(common).filter((k) => !HIDDEN_LABELS.has(k)).sort().slice(0, 10).map((k) => ({ name: k, value: oneLine(common[k], 100), inline: true })),
    ...(runbook ? [{ name: 'Runbook', value: runbook }] : []),
    ...(external ? [{ name: 'Silence', value: `${external}/#/silences/new?filter=${encodeURIComponent(`{alertname="${name}"}`)} or \`silence ${name} 1h\`` }] : []),
  ];
  // The alert lines go in the text, which every adapter splits or attaches when long; the card stays small.
  return {
    text: [`**[${payload.status === 'firing' ? 'FIRING' : 'RESOLVED'}] ${name}**${commonText ? ` (${commonText})` : ''}: ${counts}`, ...shown].join('\n'),
    card: {
      title: `${name}: ${counts}`, fields,
      ...(external ? { url: `${external}/#/alerts` } : {}), color: firing.length > 0 ? '#d1242f' : '#1a7f37',
      ...(typeof payload.receiver === 'string' ? { footer: `Alertmanager receiver ${payload.receiver}` } : {}),
    },
  };
}

async function onWebhook(ctx, req) {
  let payload;
  try {
    payload = checkPayload(req.json());
  } catch (error) {
    return { status: 400, body: error instanceof Problem ? error.message : `the body is not JSON: ${messageOf(error)}` };
  }
  if (payload.alerts.length === 0) return { status: 200, body: 'ignored: the group has no alerts' };
  await ctx.post('monit', groupMessage(payload, settingsOf(ctx.config || {})));
  return { status: 200, body: 'posted to monit' };
}

// ---- the commands ---------------------------------------------------------------------------------------------

async function call(ctx, what, url, init) {
  let response;
  try {
    response = await ctx.fetch(url, init);
  } catch (error) {
    throw new Problem(`Could not reach Alertmanager to ${what}: ${messageOf(error)}`);
  }
  const body = await response.text();
  if (response.status !== 200) throw new Problem(`Alertmanager answered HTTP ${response.status} to ${what}${body.trim() ? `: ${oneLine(body, 200)}` : ''}.`);
  try {
    return JSON.parse(body);
  } catch {
    throw new Problem(`Alertmanager's answer to ${what} is not JSON.`);
  }
}

async function firing(ctx) {
  const settings = settingsOf(ctx.config || {});
  const base = alertmanagerOf(settings);
  const alerts = await call(ctx, 'list the alerts', `${base}/api/v2/alerts?active=true&silenced=false&inhibited=false`, { method: 'GET', headers: { accept: 'application/json' } });
  if (!Array.isArray(alerts)) throw new Problem('Alertmanager\'s list of alerts could not be read (expected a list).');
  const active = alerts.filter((a) => isObject(a) && isObject(a.labels) && (!isObject(a.status) || a.status.state === 'active'));
  if (active.length === 0) return 'Nothing is firing.';
  const groups = new Map();
  for (const alert of active) {
    const name = String(alert.labels.alertname || 'unnamed');
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(alert);
  }
  const lines = [`**${active.length} alert${active.length === 1 ? '' : 's'} firing** (${groups.size} name${groups.size === 1 ? '' : 's'}):`];
  let shown = 0;
  for (const [name, group] of [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    const severity = group[0].labels.severity ? ` [${group[0].labels.severity}]` : '';
    lines.push(`🔥 **${name}**${severity} ×${group.length}`);
    for (const alert of group) {
      if (shown++ >= settings.maxAlerts) continue;
      lines.push(`  ${alertLine({ ...alert, status: 'firing' }, { severity: true }).replace(/^🔥 /, '- ')}`);
    }
  }
  if (shown > settings.maxAlerts) lines.push(`… and ${shown - settings.maxAlerts} more not listed`);
  return lines.join('\n');
}

function durationMs(text, maxHours) {
  const match = DURATION.exec(text);
  if (!match || text === '') throw new Problem(`The duration ${JSON.stringify(oneLine(text, 20))} is not like 30m, 2h or 1d12h.\n${SILENCE_USAGE}`);
  const [days, hours, minutes] = [match[1], match[2], match[3]].map((v) => (v === undefined ? 0 : Number(v)));
  const ms = ((days * 24 + hours) * 60 + minutes) * 60_000;
  if (ms < 60_000) throw new Problem(`A silence lasts at least 1 minute.\n${SILENCE_USAGE}`);
  if (ms > maxHours * 3_600_000) throw new Problem(`A silence lasts at most ${maxHours} hours (plugins.config.alerts.maxSilenceHours).\n${SILENCE_USAGE}`);
  return ms;
}

async function silence(ctx, args) {
  const settings = settingsOf(ctx.config || {});
  const alertname = String(args.alertname);
  if (!ALERTNAME.test(alertname)) return `The alertname ${JSON.stringify(oneLine(alertname, 40))} is not valid (letters, digits, _ : . -).\n${SILENCE_USAGE}`;
  const ms = durationMs(String(args.duration), settings.maxSilenceHours);
  const base = alertmanagerOf(settings);
  const user = ctx.invocation ? ctx.invocation.user.name : 'opsroom';
  const startsAt = new Date();
  const endsAt = new Date(startsAt.getTime() + ms);
  const comment = typeof args.comment === 'string' && args.comment.trim() !== '' ? oneLine(args.comment, 500) : `silenced from chat by ${user}`;
  const result = await call(ctx, `silence ${alertname}`, `${base}/api/v2/silences`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      matchers: [{ name: 'alertname', value: alertname, isRegex: false, isEqual: true }],
      startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), createdBy: `${user} (opsroom)`, comment,
    }),
  });
  const id = isObject(result) && typeof result.silenceID === 'string' ? result.silenceID : undefined;
  if (!id) throw new Problem('Alertmanager accepted the silence but did not say its id.');
  return `Silenced ${alertname} for ${String(args.duration)}, until ${clock(endsAt.toISOString())}: silence ${id}. It can be expired early in Alertmanager at ${base}/#/silences/${id}.`;
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
    alerts: (ctx) => answer(() => firing(ctx)),
    silence: (ctx, args) => answer(() => silence(ctx, args)),
  },
  onWebhook,
};
