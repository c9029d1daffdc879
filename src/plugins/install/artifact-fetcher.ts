import { existsSync, statSync } from 'node:fs';
import { inject, injectable } from 'inversify';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { UserError } from '../../core/errors.js';
import { stripCommonFolder, type ArchiveEntry, type ArchiveLimits } from './archive-entry.js';
import { Downloader } from './downloader.js';
import { readFolder } from './folder-reader.js';
import { checkIntegrity, sha256HexToSri } from './integrity.js';
import { NpmRegistry } from './npm-registry.js';
import { formatSource, type SourceSpec } from './source-spec.js';
import { readTar } from './tar-reader.js';
import { entriesIntegrity } from './unpack.js';

/** A plugin fetched and checked, not yet written anywhere. */
export interface Artifact {
  /** The source as the lock file records it, npm versions resolved to an exact one. */
  source: string;
  /** SRI of what was fetched: the tarball, or (for a folder) its files. */
  integrity: string;
  /** Where the bytes came from, when that differs from the source (an npm tarball URL). */
  resolved?: string;
  entries: ArchiveEntry[];
}

/** Turns a source into checked entries: downloads and verifies integrity, then reads the archive with every refusal. */
export const ArtifactFetcher = Symbol('ArtifactFetcher');
export interface ArtifactFetcher {
  /** `expectedIntegrity` (from the lock file) must match too when given. */
  fetch(spec: SourceSpec, expectedIntegrity?: string): Promise<Artifact>;
}

@injectable()
export class ArtifactFetcherImpl implements ArtifactFetcher {
  private readonly limits: ArchiveLimits;
  private readonly maxDownloadBytes: number;

  constructor(
    @inject(OpsroomConfigToken) config: OpsroomConfig,
    @inject(Downloader) private readonly downloader: Downloader,
    @inject(NpmRegistry) private readonly registry: NpmRegistry,
  ) {
    const { maxFiles, maxUnpackedKb, maxDownloadKb } = config.plugins.install;
    this.limits = { maxFiles, maxUnpackedBytes: maxUnpackedKb * 1024 };
    this.maxDownloadBytes = maxDownloadKb * 1024;
  }

  async fetch(spec: SourceSpec, expectedIntegrity?: string): Promise<Artifact> {
    switch (spec.kind) {
      case 'folder': return this.folder(spec, expectedIntegrity);
      case 'url': return this.url(spec, expectedIntegrity);
      case 'npm': return this.npm(spec, expectedIntegrity);
    }
  }

  private folder(spec: Extract<SourceSpec, { kind: 'folder' }>, expected: string | undefined): Artifact {
    if (!existsSync(spec.path) || !statSync(spec.path).isDirectory()) throw new UserError('E_INSTALL', `cannot install from ${spec.path}: it is not a folder`);
    const entries = readFolder(spec.path, this.limits);
    const integrity = entriesIntegrity(entries);
    if (expected !== undefined && expected !== integrity) {
      throw new UserError('E_INTEGRITY', `the folder ${spec.path} changed since it was locked (lock ${expected}, folder ${integrity}); nothing was installed`);
    }
    return { source: formatSource(spec), integrity, entries };
  }

  private async url(spec: Extract<SourceSpec, { kind: 'url' }>, expected: string | undefined): Promise<Artifact> {
    const integrity = sha256HexToSri(spec.sha256);
    if (expected !== undefined && expected !== integrity) throw new UserError('E_INTEGRITY', `the lock file expects ${expected} but the source pins ${integrity}`);
    const tarball = await this.downloader.get({ url: spec.url, maxBytes: this.maxDownloadBytes, what: 'the plugin tarball' });
    checkIntegrity(tarball, integrity, `the tarball from ${spec.url}`);
    return { source: formatSource(spec), integrity, entries: stripCommonFolder(readTar(tarball, this.limits)) };
  }

  private async npm(spec: Extract<SourceSpec, { kind: 'npm' }>, expected: string | undefined): Promise<Artifact> {
    const resolved = await this.registry.resolve(spec.name, spec.version);
    if (expected !== undefined && expected !== resolved.integrity) {
      throw new UserError('E_INTEGRITY', `${spec.name}@${resolved.version} on ${this.registry.url} has integrity ${resolved.integrity}, but the lock file expects ${expected}; nothing was installed`);
    }
    const tarball = await this.downloader.get({
      url: resolved.tarball, maxBytes: this.maxDownloadBytes, what: `the tarball of ${spec.name}@${resolved.version}`,
      allowLoopbackHttp: new URL(this.registry.url).protocol === 'http:',
    });
    checkIntegrity(tarball, resolved.integrity, `the tarball of ${spec.name}@${resolved.version}`);
    return {
      source: formatSource({ kind: 'npm', name: spec.name, version: resolved.version }), integrity: resolved.integrity,
      resolved: resolved.tarball, entries: stripCommonFolder(readTar(tarball, this.limits)),
    };
  }
}
