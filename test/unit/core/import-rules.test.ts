import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PLATFORM_SDKS = ['discord.js', '@discordjs/', 'botbuilder', 'botframework-', 'discord-api-types'];

function sources(dir: string): string[] {
  let files: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) files = files.concat(sources(path));
    else if (/\.(ts|js|mjs)$/.test(name)) files.push(path);
  }
  return files;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
    specifiers.push((match[1] ?? match[2] ?? match[3]) as string);
  }
  return specifiers;
}

function resolvesInto(file: string, specifier: string, folder: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = relative(root, join(root, file, '..', specifier));
  return target === folder || target.startsWith(`${folder}/`);
}

describe('import rules', () => {
  it('keeps platform SDKs and adapters out of src/', () => {
    const offenders = sources('src').flatMap((file) => importsOf(file)
      .filter((s) => PLATFORM_SDKS.some((sdk) => s.startsWith(sdk)) || resolvesInto(file, s, 'adapters'))
      .map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('lets only src/sandbox import isolated-vm', () => {
    const offenders = [...sources('src'), ...sources('adapters')]
      .filter((file) => !file.startsWith('src/sandbox/'))
      .flatMap((file) => importsOf(file).filter((s) => s === 'isolated-vm').map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('lets adapters see src/core only', () => {
    const offenders = sources('adapters').flatMap((file) => importsOf(file)
      .filter((s) => resolvesInto(file, s, 'src') && !resolvesInto(file, s, 'src/core'))
      .map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('keeps each platform SDK inside its own adapter', () => {
    const offenders = sources('adapters').flatMap((file) => importsOf(file).filter((s) =>
      ((s.startsWith('discord.js') || s.startsWith('@discordjs/')) && !file.startsWith('adapters/discord/'))
      || ((s.startsWith('botbuilder') || s.startsWith('botframework-')) && !file.startsWith('adapters/teams/')))
      .map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('has no console.* in src/', () => {
    const offenders = sources('src').filter((file) => /\bconsole\.(log|info|warn|error|debug)\(/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('catches a violation when one exists (the check itself works)', () => {
    expect(resolvesInto('src/routing/router.ts', '../../adapters/local/index.js', 'adapters')).toBe(true);
    expect(importsOf('src/routing/router.ts')).toContain('../core/errors.js');
  });
});
