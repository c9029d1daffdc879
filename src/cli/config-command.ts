import { loadConfig } from '../config/load-config.js';
import { reportFailure } from './cli-support.js';

/** `opsroom config check [file]`: validate without starting. */
export function runConfigCheck(file: string | undefined): number {
  try {
    const { file: used } = loadConfig({ file });
    process.stdout.write(`${used ?? 'the embedded default configuration'} is valid\n`);
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}
