import { fileURLToPath } from 'node:url';
import type { ConsoleConfig } from './console-config-schema.js';

/** What the web console needs from the configuration, plus where its built front end lives. */
export const ConsoleSettings = Symbol('ConsoleSettings');
export interface ConsoleSettings extends ConsoleConfig {
  /** The folder Vite builds the front end into (index.html and assets/). */
  distDir: string;
}

/** `dist/console/` of the opsroom package, wherever opsroom runs from. */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

export function consoleSettingsOf(config: ConsoleConfig, distDir: string = CONSOLE_DIST_DIR): ConsoleSettings {
  return { ...config, distDir };
}
