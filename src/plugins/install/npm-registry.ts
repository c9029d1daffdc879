import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { UserError } from '../../core/errors.js';
import { Downloader } from './downloader.js';
import { strongestHash } from './integrity.js';

/** The keyword a package carries to be found by `plugin search`. */
export const PLUGIN_KEYWORD = 'opsroom-plugin';
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

const packumentSchema = z.object({
  name: z.string(),
  'dist-tags': z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), z.object({
    dist: z.object({ tarball: z.string().url(), integrity: z.string().optional(), shasum: z.string().optional() }).passthrough(),
  }).passthrough()),
}).passthrough();

const searchSchema = z.object({
  objects: z.array(z.object({
    package: z.object({
      name: z.string(), version: z.string(), description: z.string().optional(), keywords: z.array(z.string()).optional(),
      links: z.object({ npm: z.string().optional(), repository: z.string().optional() }).passthrough().optional(),
    }).passthrough(),
  }).passthrough()),
}).passthrough();

/** One version of a package, resolved: its exact version, tarball URL and integrity. */
export interface ResolvedPackage {
  name: string;
  version: string;
  tarball: string;
  integrity: string;
}

export interface SearchHit {
  name: string;
  version: string;
  description: string;
}

/** The npm registry (or a compatible one) at `plugins.install.registry`. */
export const NpmRegistry = Symbol('NpmRegistry');
export interface NpmRegistry {
  readonly url: string;
  /** An exact version, or a dist-tag such as latest, resolved through the packument. */
  resolve(name: string, versionOrTag: string): Promise<ResolvedPackage>;
  /** Packages with the keyword opsroom-plugin that match the text. */
  search(text: string): Promise<SearchHit[]>;
}

function invalid(what: string, issues: z.ZodIssue[]): UserError {
  const first = issues[0];
  return new UserError('E_INSTALL', `the registry sent ${what} that is not valid (${first ? `${first.path.join('.') || '(top)'}: ${first.message}` : 'unknown shape'})`);
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new UserError('E_INSTALL', `the registry sent ${what} that is not JSON`);
  }
}

@injectable()
export class NpmRegistryImpl implements NpmRegistry {
  readonly url: string;
  private readonly maxBytes: number;
  private readonly loopbackHttp: boolean;

  constructor(
    @inject(OpsroomConfigToken) config: OpsroomConfig,
    @inject(Downloader) private readonly downloader: Downloader,
  ) {
    const { registry, maxDownloadKb } = config.plugins.install;
    this.url = registry.endsWith('/') ? registry : `${registry}/`;
    this.maxBytes = maxDownloadKb * 1024;
    this.loopbackHttp = new URL(this.url).protocol === 'http:';
  }

  async resolve(name: string, versionOrTag: string): Promise<ResolvedPackage> {
    const url = new URL(name.replace('/', '%2f'), this.url).toString();
    const body = await this.downloader.get({ url, maxBytes: this.maxBytes, accept: ABBREVIATED, allowLoopbackHttp: this.loopbackHttp, what: `the packument of ${name}` })
      .catch((error: unknown) => {
        if (error instanceof UserError && / answered 404/.test(error.message)) throw new UserError('E_INSTALL', `there is no package ${name} on ${this.url}`);
        throw error;
      });
    const parsed = packumentSchema.safeParse(parseJson(body, `the packument of ${name}`));
    if (!parsed.success) throw invalid(`the packument of ${name}`, parsed.error.issues);
    const packument = parsed.data;
    const version = packument['dist-tags'][versionOrTag] ?? versionOrTag;
    const entry = packument.versions[version];
    if (!entry) {
      const known = Object.keys(packument.versions).slice(-5).join(', ');
      throw new UserError('E_INSTALL', `${name} has no version or dist-tag ${versionOrTag} on ${this.url} (latest versions: ${known || 'none'})`);
    }
    const integrity = entry.dist.integrity;
    if (!integrity || !strongestHash(integrity)) {
      throw new UserError('E_INTEGRITY', `${name}@${version} has no sha512/sha384/sha256 dist.integrity on ${this.url}; a package without one is not installed`);
    }
    return { name, version, tarball: entry.dist.tarball, integrity };
  }

  async search(text: string): Promise<SearchHit[]> {
    const query = `keywords:${PLUGIN_KEYWORD}${text.trim() ? ` ${text.trim()}` : ''}`;
    const url = new URL(`-/v1/search?text=${encodeURIComponent(query)}&size=25`, this.url).toString();
    const body = await this.downloader.get({ url, maxBytes: this.maxBytes, accept: 'application/json', allowLoopbackHttp: this.loopbackHttp, what: 'search results' });
    const parsed = searchSchema.safeParse(parseJson(body, 'search results'));
    if (!parsed.success) throw invalid('search results', parsed.error.issues);
    // The registry's keyword filter is a ranking hint on some mirrors; only packages that really carry it count.
    return parsed.data.objects
      .map((o) => o.package)
      .filter((p) => (p.keywords ?? []).includes(PLUGIN_KEYWORD))
      .map((p) => ({ name: p.name, version: p.version, description: p.description ?? '' }));
  }
}
