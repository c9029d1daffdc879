/** The answer of a permission or policy check: a value, never an exception. */
export type Decision = { allowed: true } | { allowed: false; reason: string };

export const allow: Decision = Object.freeze({ allowed: true });

export function deny(reason: string): Decision {
  return { allowed: false, reason };
}
