import { createHash, randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read aloud or retyped (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const LINK_CODE_LENGTH = 8;
/** How long a link code can be redeemed. */
export const LINK_CODE_TTL_MS = 10 * 60_000;

/** A fresh random code, `ABCD-EFGH` (31^8, about 8.5e11 possibilities). */
export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) code += ALPHABET.charAt(randomInt(ALPHABET.length));
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as typed, without case, spaces or dashes; undefined when it cannot be a link code at all. */
export function normalizeLinkCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== LINK_CODE_LENGTH) return undefined;
  for (const char of code) if (!ALPHABET.includes(char)) return undefined;
  return code;
}

/** What is stored instead of the code, so a database reader cannot redeem a pending one. */
export function hashLinkCode(normalized: string): string {
  return createHash('sha256').update(`opsroom-link:${normalized}`).digest('hex');
}
