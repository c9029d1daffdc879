import { readFileSync } from 'node:fs';
import { OpsroomError } from '../../core/errors.js';

/** Where a secret's value comes from: config `secrets: { NAME: { env: VAR } | { file: path } }`. */
export type SecretSource = { env: string } | { file: string };

/** Secret values by name, read at the moment of use; a value is never logged. */
export const SecretStore = Symbol('SecretStore');
export interface SecretStore {
  /** The value, or undefined when the secret is unknown or its source is empty. */
  get(name: string): string | undefined;
  /** What an operator must do to give the secret a value, for the "has no value" message. */
  howToSet(name: string): string;
}

function withoutTrailingNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

export class SecretStoreImpl implements SecretStore {
  constructor(
    private readonly sources: Record<string, SecretSource>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get(name: string): string | undefined {
    const source = Object.hasOwn(this.sources, name) ? this.sources[name] : undefined;
    if (source === undefined) return undefined;
    const value = 'env' in source ? this.env[source.env] : this.readFile(name, source.file);
    return value === undefined || value === '' ? undefined : value;
  }

  howToSet(name: string): string {
    const source = Object.hasOwn(this.sources, name) ? this.sources[name] : undefined;
    if (source === undefined) return `add it under secrets in the configuration, e.g. secrets: { ${name}: { env: ${name} } }`;
    if ('env' in source) return `set the environment variable ${source.env}`;
    return `write it to the file ${source.file}`;
  }

  private readFile(name: string, file: string): string | undefined {
    try {
      return withoutTrailingNewline(readFileSync(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      // Only the path and the error code: the message of a read error could quote the content.
      throw new OpsroomError('E_CONFIG', `secret ${name}: the file ${file} cannot be read (${code ?? 'unknown error'})`);
    }
  }
}
