import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when typed from a screen (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 6;
export const REQUEST_ID = /^[a-hj-km-np-z2-9]{6}$/;

/** A short random request id such as `a7f3kx`, typed in `approve <id>`; about 887 million values. */
export function newRequestId(): string {
  let id = '';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
