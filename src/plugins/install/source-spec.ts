import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';

/** Where a plugin comes from: a local folder, a pinned https tarball, or a package of the npm registry. */
export type SourceSpec =
  | { kind: 'folder'; path: string }
  | { kind: 'url'; url: string; sha256: string }
  | { kind: 'npm'; name: string; version: string };

/** npm's rules for package names: lower case, URL-safe, optionally scoped, at most 214 characters. */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const DIST_TAG = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const PIN = /^sha256=([0-9a-f]{64})$/i;

const FORMS = 'a local folder (./my-plugin or file:/abs/path), https://host/plugin.tgz#sha256=<64 hex>, or npm:<name>@<version>';

function bad(source: string, why: string): UserError {
  return new UserError('E_INSTALL', `cannot install from ${JSON.stringify(source.slice(0, 200))}: ${why}`, { hint: `A source is ${FORMS}.` });
}

function parseNpm(source: string): SourceSpec {
  const rest = source.slice('npm:'.length);
  const at = rest.lastIndexOf('@');
  const [name, version] = at > 0 ? [rest.slice(0, at), rest.slice(at + 1)] : [rest, 'latest'];
  if (name.length > 214 || !NPM_NAME.test(name)) throw bad(source, `${JSON.stringify(name)} is not an npm package name`);
  if (!EXACT_VERSION.test(version) && !DIST_TAG.test(version)) {
    throw bad(source, `${JSON.stringify(version)} is not an exact version (such as 1.2.0) or a dist-tag (such as latest); ranges are not taken, so the lock file records exactly what was installed`);
  }
  return { kind: 'npm', name, version };
}

function parseUrl(source: string): SourceSpec {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw bad(source, 'it is not a valid URL');
  }
  if (url.protocol !== 'https:') throw bad(source, `only https tarball URLs are taken, not ${url.protocol.replace(':', '')}`);
  const pin = PIN.exec(url.hash.slice(1));
  if (!pin) throw bad(source, 'a tarball URL needs the sha256 of the tarball pinned after it, as #sha256=<64 hex digits>');
  if (url.username || url.password) throw bad(source, 'credentials in the URL are not taken');
  url.hash = '';
  return { kind: 'url', url: url.toString(), sha256: (pin[1] as string).toLowerCase() };
}

/** Parses what follows `plugin install`; relative folders resolve against `cwd`. */
export function parseSource(source: string, cwd: string = process.cwd()): SourceSpec {
  const text = source.trim();
  if (text === '') throw bad(source, 'it is empty');
  if (text.startsWith('npm:')) return parseNpm(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !text.startsWith('file:')) return parseUrl(text);
  const path = text.startsWith('file:') ? text.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : text;
  if (path === '') throw bad(source, 'the folder is empty');
  return { kind: 'folder', path: isAbsolute(path) ? resolve(path) : resolve(cwd, path) };
}

/** The source as the lock file records it: `file:<absolute path>`, the URL with its pin, or `npm:<name>@<exact version>`. */
export function formatSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'folder': return `file:${spec.path}`;
    case 'url': return `${spec.url}#sha256=${spec.sha256}`;
    case 'npm': return `npm:${spec.name}@${spec.version}`;
  }
}
