// The bytes plugin: the team's knowledge channel. Links people keep (`bytes add`) or post in a capture channel
// (opsroom calls `bytes capture` for them) are stored once per normalised address, with tags, notes and who shared
// them; `bytes search` and `bytes top` find them again and a weekly digest goes to the `bytes` channel alias.
// Runs in the opsroom sandbox: no imports, no URL class, so addresses are taken apart by hand.

const INDEX = 'index';
const MAX_LINKS = 5000;
const MAX_URL = 2000;
const MAX_NOTE = 300;
const TAG = /^#([a-z0-9][a-z0-9_-]{0,31})$/i;
const TRACKING = /^(utm_[a-z0-9_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ref_src|igshid)$/i;
const ADD_USAGE = 'usage: bytes add <url> [#tags...] [note...]';

class Problem extends Error {}

/** One read-modify-write of the index at a time: calls of this plugin share this isolate and interleave at awaits. */
let queue = Promise.resolve();
function exclusively(work) {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

function oneLine(text, max) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * The address a link is known by, so that `http://WWW.Example.com:443/a/?utm_source=x#top` and
 * `https://example.com/a` are one link: https, lower-case host without `www.` and default port, no fragment, no
 * trailing slash, no tracking parameters, the other parameters sorted. Undefined for anything but an http(s) URL.
 */
function normalizeUrl(raw) {
  const match = /^(https?):\/\/([^/?#\s@]+)([^?#\s]*)(\?[^#\s]*)?(#\S*)?$/i.exec(String(raw).trim());
  if (!match || raw.length > MAX_URL) return undefined;
  const scheme = match[1].toLowerCase();
  let host = match[2].toLowerCase().replace(/\.$/, '');
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) host = host.replace(/:\d+$/, '');
  host = host.replace(/^www\./, '');
  if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(host)) return undefined;
  const path = (match[3] || '').replace(/\/+$/, '');
  const params = (match[4] || '').slice(1).split('&').filter((p) => p !== '' && !TRACKING.test(p.split('=')[0])).sort();
  return `https://${host}${path}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** `#tags` and the note from the words after the URL. */
function splitWords(words) {
  const tags = [];
  const note = [];
  for (const word of String(words || '').split(/\s+/).filter(Boolean)) {
    const tag = TAG.exec(word);
    if (tag) {
      const name = tag[1].toLowerCase();
      if (!tags.includes(name)) tags.push(name);
    } else {
      note.push(word);
    }
  }
  return { tags, note: oneLine(note.join(' ').replace(/[\s,;:]+$/, ''), MAX_NOTE) };
}

async function readIndex(ctx) {
  const index = await ctx.storage.get(INDEX);
  return index && Array.isArray(index.links) ? index : { version: 1, links: [] };
}

function who(ctx) {
  const user = ctx.invocation ? ctx.invocation.user : { id: 'system', name: 'opsroom' };
  return { id: user.id, name: user.name };
}

function day(iso) {
  return String(iso).slice(0, 10);
}

function describe(link) {
  const tags = link.tags.length > 0 ? ` ${link.tags.map((t) => `#${t}`).join(' ')}` : '';
  const note = link.notes.length > 0 ? ` — ${oneLine(link.notes.join('; '), 160)}` : '';
  const people = link.by.length > 1 ? `, shared by ${link.by.length}` : '';
  return `${link.url}${tags}${note} (${link.addedByName}, ${day(link.addedAt)}${people})`;
}

/** Adds the link, or merges tags, note and person into the one already kept; returns it and whether it was new. */
async function keep(ctx, url, tags, note, captured) {
  const key = normalizeUrl(url);
  if (key === undefined) throw new Problem(`${JSON.stringify(oneLine(url, 80))} is not an http(s) link.\n${ADD_USAGE}`);
  const person = who(ctx);
  const now = new Date().toISOString();
  return exclusively(async () => {
    const index = await readIndex(ctx);
    let link = index.links.find((l) => l.key === key);
    const isNew = link === undefined;
    if (isNew) {
      if (index.links.length >= MAX_LINKS) throw new Problem(`bytes keeps at most ${MAX_LINKS} links; an operator can prune the bytes storage.`);
      link = { key, url, tags: [], notes: [], by: [], addedAt: now, addedBy: person.id, addedByName: person.name, lastAt: now, captured };
      index.links.push(link);
    }
    for (const tag of tags) if (!link.tags.includes(tag)) link.tags.push(tag);
    if (note !== '' && !link.notes.includes(note)) link.notes.push(note);
    if (!link.by.includes(person.id)) link.by.push(person.id);
    link.lastAt = now;
    await ctx.storage.set(INDEX, index);
    return { link, isNew };
  });
}

async function add(ctx, args) {
  const { tags, note } = splitWords(args.words);
  const { link, isNew } = await keep(ctx, String(args.url), tags, note, false);
  const tagText = link.tags.length > 0 ? ` ${link.tags.map((t) => `#${t}`).join(' ')}` : '';
  if (isNew) return `Kept ${link.url}${tagText}${note ? `: ${note}` : ''}. \`bytes search\` finds it again.`;
  return `Already kept since ${day(link.addedAt)} by ${link.addedByName}: ${link.url}${tagText}; shared by ${link.by.length} ${link.by.length === 1 ? 'person' : 'people'} now.`;
}

async function capture(ctx, args) {
  const { tags, note } = splitWords(args.note);
  await keep(ctx, String(args.url), tags, note, true);
}

function numbered(links) {
  return links.map((link, i) => `${i + 1}. ${describe(link)}`);
}

async function search(ctx, args) {
  const words = String(args.text || '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'usage: bytes search <text...>';
  const index = await readIndex(ctx);
  const found = index.links
    .filter((link) => {
      const haystack = `${link.key} ${link.url} ${link.tags.map((t) => `#${t}`).join(' ')} ${link.notes.join(' ')}`.toLowerCase();
      return words.every((word) => haystack.includes(word.replace(/^#/, '')));
    })
    .sort((a, b) => b.by.length - a.by.length || b.lastAt.localeCompare(a.lastAt));
  if (found.length === 0) return `No kept link matches "${words.join(' ')}". \`bytes add <url> #tags note\` keeps one.`;
  const shown = found.slice(0, 10);
  return [`${found.length} link${found.length === 1 ? '' : 's'} for "${words.join(' ')}"${found.length > shown.length ? ` (the first ${shown.length})` : ''}:`, ...numbered(shown)].join('\n');
}

async function top(ctx, args) {
  const n = Number(args.n);
  if (!Number.isInteger(n) || n < 1 || n > 25) return 'n must be a whole number from 1 to 25.\nusage: bytes top [n]';
  const index = await readIndex(ctx);
  if (index.links.length === 0) return 'No links kept yet. `bytes add <url> #tags note` keeps one.';
  const ranked = [...index.links].sort((a, b) => b.by.length - a.by.length || b.lastAt.localeCompare(a.lastAt)).slice(0, n);
  return ['Most shared links:', ...numbered(ranked)].join('\n');
}

async function overview(ctx) {
  const index = await readIndex(ctx);
  const newest = [...index.links].sort((a, b) => b.addedAt.localeCompare(a.addedAt)).slice(0, 3);
  return [
    `${index.links.length} link${index.links.length === 1 ? '' : 's'} kept.${newest.length > 0 ? ' Newest:' : ''}`,
    ...numbered(newest),
    '`bytes add <url> [#tags] [note]` keeps one, `bytes search <text>` finds them, `bytes top` shows the most shared.',
  ].join('\n');
}

function settingsOf(config) {
  const days = config.digestDays === undefined ? 7 : config.digestDays;
  const size = config.digestSize === undefined ? 10 : config.digestSize;
  if (!Number.isInteger(days) || days < 1 || days > 31) throw new Error('plugins.config.bytes.digestDays must be a whole number from 1 to 31');
  if (!Number.isInteger(size) || size < 1 || size > 50) throw new Error('plugins.config.bytes.digestSize must be a whole number from 1 to 50');
  const cron = config.digestCron === undefined ? '0 9 * * 1' : config.digestCron;
  if (typeof cron !== 'string' || cron.trim() === '') throw new Error('plugins.config.bytes.digestCron must be a cron expression such as "0 9 * * 1"');
  return { days, size, cron };
}

/** The links first kept in the `days` before `firedAt`, most shared first; nothing is posted in a week without any. */
async function digest(ctx, job) {
  const settings = settingsOf(ctx.config || {});
  const end = Date.parse(job.firedAt);
  const start = new Date((Number.isNaN(end) ? Date.now() : end) - settings.days * 86_400_000).toISOString();
  const index = await readIndex(ctx);
  const fresh = index.links.filter((l) => l.addedAt >= start).sort((a, b) => b.by.length - a.by.length || b.addedAt.localeCompare(a.addedAt));
  if (fresh.length === 0) return;
  const tags = {};
  for (const link of fresh) for (const tag of link.tags) tags[tag] = (tags[tag] || 0) + 1;
  const topTags = Object.keys(tags).sort((a, b) => tags[b] - tags[a] || a.localeCompare(b)).slice(0, 5);
  const shown = fresh.slice(0, settings.size);
  await ctx.post('bytes', [
    `📚 **Knowledge bytes of the last ${settings.days} days**: ${fresh.length} new link${fresh.length === 1 ? '' : 's'}${topTags.length > 0 ? `, most about ${topTags.map((t) => `#${t}`).join(' ')}` : ''}`,
    ...numbered(shown),
    ...(fresh.length > shown.length ? [`… and ${fresh.length - shown.length} more: \`bytes search\` finds them.`] : []),
  ].join('\n'));
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
    bytes: (ctx) => answer(() => overview(ctx)),
    bytesAdd: (ctx, args) => answer(() => add(ctx, args)),
    bytesSearch: (ctx, args) => answer(() => search(ctx, args)),
    bytesTop: (ctx, args) => answer(() => top(ctx, args)),
    bytesCapture: (ctx, args) => capture(ctx, args),
  },
  async onSchedule(ctx, job) {
    if (job.name === 'digest') await digest(ctx, job);
  },
  async setup(ctx) {
    await ctx.schedule('digest', settingsOf(ctx.config || {}).cron);
  },
};
