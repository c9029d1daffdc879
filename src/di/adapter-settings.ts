import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import type { TeamsConfig } from '../config/teams-config-schema.js';

export type ReadSecretFile = (path: string) => string;

const readUtf8: ReadSecretFile = (path) => readFileSync(path, 'utf8');

/** A secret from a file (a mounted secret); only the path and the error code are ever quoted, never the content. */
function secretFromFile(setting: string, path: string, read: ReadSecretFile): string {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(`adapters.teams.${setting} cannot be read`, [`adapters.teams.${setting}: the file ${path} cannot be read (${code})`]);
  }
  const value = text.replace(/\r?\n$/, '');
  if (value.trim().length === 0) {
    throw new ConfigError(`adapters.teams.${setting} is empty`, [`adapters.teams.${setting}: the file ${path} is empty`]);
  }
  return value;
}

/**
 * The settings handed to the Teams adapter package: the `adapters.teams` section with the secrets its files
 * hold read in. The package completes them from the Bot Framework environment variables and checks them.
 */
export function teamsAdapterSettings(section: TeamsConfig, read: ReadSecretFile = readUtf8): Record<string, unknown> {
  const { appPasswordFile, certificate, ...rest } = section;
  return {
    ...rest,
    ...(appPasswordFile ? { appPassword: secretFromFile('appPasswordFile', appPasswordFile, read) } : {}),
    ...(certificate
      ? { certificate: { thumbprint: certificate.thumbprint, privateKey: secretFromFile('certificate.privateKeyFile', certificate.privateKeyFile, read) } }
      : {}),
  };
}

/** The same section without anything secret, for tools that need no credentials (the app package). */
export function teamsPublicSettings(section: TeamsConfig): Record<string, unknown> {
  const { appPasswordFile: _password, certificate: _certificate, ...rest } = section;
  return rest;
}
