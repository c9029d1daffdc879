import { UserError } from '../core/errors.js';

/** The manifest's rule for plugin names (see PLUGIN_API.md, section 2). */
export const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,39}$/;

/** The plugin name, or an E_BAD_ARGS naming the rule; the stores key everything by it. */
export function checkPluginName(value: unknown): string {
  if (typeof value !== 'string' || !PLUGIN_NAME.test(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
    throw new UserError('E_BAD_ARGS', `plugin name ${shown} is not valid (expected 2 to 40 lower-case letters, digits and dashes, starting with a letter)`);
  }
  return value;
}
