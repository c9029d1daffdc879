import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/errors.js';
import { formatSource, parseSource } from '../../../../src/plugins/install/source-spec.js';

const PIN = 'a'.repeat(64);

function refused(source: string): string {
  try {
    parseSource(source, '/srv');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error(`expected ${source} to be refused`);
}

describe('parseSource', () => {
  it('reads folders, pinned https tarballs and npm packages', () => {
    expect(parseSource('./plugins/hello', '/srv')).toEqual({ kind: 'folder', path: '/srv/plugins/hello' });
    expect(parseSource('file:/opt/hello', '/srv')).toEqual({ kind: 'folder', path: '/opt/hello' });
    expect(parseSource(`https://example.com/hello-1.0.0.tgz#sha256=${PIN.toUpperCase()}`)).toEqual({ kind: 'url', url: 'https://example.com/hello-1.0.0.tgz', sha256: PIN });
    expect(parseSource('npm:opsroom-plugin-hello@1.2.0')).toEqual({ kind: 'npm', name: 'opsroom-plugin-hello', version: '1.2.0' });
    expect(parseSource('npm:@acme/opsroom-hello@next')).toEqual({ kind: 'npm', name: '@acme/opsroom-hello', version: 'next' });
    expect(parseSource('npm:opsroom-plugin-hello')).toEqual({ kind: 'npm', name: 'opsroom-plugin-hello', version: 'latest' });
  });

  it('writes what the lock file records', () => {
    expect(formatSource(parseSource(`https://example.com/h.tgz#sha256=${PIN}`))).toBe(`https://example.com/h.tgz#sha256=${PIN}`);
    expect(formatSource({ kind: 'npm', name: 'x', version: '1.0.0' })).toBe('npm:x@1.0.0');
    expect(formatSource({ kind: 'folder', path: '/opt/x' })).toBe('file:/opt/x');
  });

  it('refuses an unpinned, badly pinned or plain-http tarball', () => {
    expect(refused('https://example.com/hello.tgz')).toContain('needs the sha256 of the tarball pinned');
    expect(refused('https://example.com/hello.tgz#sha256=abc')).toContain('needs the sha256 of the tarball pinned');
    expect(refused(`http://example.com/hello.tgz#sha256=${PIN}`)).toContain('only https tarball URLs');
    expect(refused(`ftp://example.com/hello.tgz#sha256=${PIN}`)).toContain('only https tarball URLs');
    expect(refused(`https://user:pw@example.com/hello.tgz#sha256=${PIN}`)).toContain('credentials in the URL');
  });

  it('refuses npm ranges and bad names, and says why', () => {
    expect(refused('npm:hello@^1.2.0')).toContain('ranges are not taken');
    expect(refused('npm:Hello World@1.0.0')).toContain('is not an npm package name');
    expect(refused('npm:')).toContain('is not an npm package name');
    expect(refused('   ')).toContain('it is empty');
  });
});
