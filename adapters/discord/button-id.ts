import { OpsroomError } from '../../src/core/errors.js';

/** Discord's limit on a component's custom_id. */
export const CUSTOM_ID_LIMIT = 100;

// Versioned, so a later format can still read buttons posted by this one (they live as long as their message).
const PREFIX = 'o1:';

/**
 * Packs a button's id and value into Discord's custom_id (`o1:["approve",{"request":"r9"}]`), which is all
 * Discord gives back on a press: the value travels with the button, so presses work across restarts and instances.
 */
export function encodeButtonId(id: string, value: Record<string, unknown> | undefined): string {
  const hasValue = value !== undefined && Object.keys(value).length > 0;
  const encoded = PREFIX + JSON.stringify(hasValue ? [id, value] : [id]);
  if (encoded.length > CUSTOM_ID_LIMIT) {
    throw new OpsroomError('E_INTERNAL', `button "${id}" needs ${encoded.length} characters of Discord's custom_id, which holds ${CUSTOM_ID_LIMIT}; `
      + 'give the button a short value, such as the id of a stored request');
  }
  return encoded;
}

/** The id and value of a pressed button; a custom_id opsroom did not write comes back as the id with an empty value. */
export function decodeButtonId(customId: string): { actionId: string; value: Record<string, unknown> } {
  if (!customId.startsWith(PREFIX)) return { actionId: customId, value: {} };
  try {
    const parsed: unknown = JSON.parse(customId.slice(PREFIX.length));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string') {
      const value = parsed[1];
      const isRecord = typeof value === 'object' && value !== null && !Array.isArray(value);
      return { actionId: parsed[0], value: isRecord ? value as Record<string, unknown> : {} };
    }
  } catch {
    // Not ours after all: fall through and hand it on unchanged.
  }
  return { actionId: customId, value: {} };
}
