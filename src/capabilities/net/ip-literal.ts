import { isIPv6 } from 'node:net';

/** An IP address decoded from any accepted notation. */
export type IpLiteral = { version: 4; value: number } | { version: 6; groups: number[] };

/**
 * Does this host end in a number? Then it must be an IPv4 literal or nothing
 * (the WHATWG URL rule), so `127.1` or `0x7f.1` can never slip through as a name.
 */
export function endsInNumber(host: string): boolean {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  const last = parts[parts.length - 1] ?? '';
  if (/^[0-9]+$/.test(last)) return true;
  return /^0x[0-9a-f]*$/i.test(last);
}

function parseIpv4Number(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  if (digits === '') return 0;
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const value = parseInt(digits, radix);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * IPv4 in every notation inet_aton and browsers accept: 1 to 4 parts, each
 * decimal, octal (leading 0) or hex (0x), the last part filling the remaining bytes.
 */
export function parseIpv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIpv4Number(part);
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop() as number;
  if (numbers.some((n) => n > 255)) return undefined;
  if (last >= 256 ** (4 - numbers.length)) return undefined;
  let value = last;
  numbers.forEach((n, i) => {
    value += n * 256 ** (3 - i);
  });
  return value;
}

/** Eight 16-bit groups from an IPv6 text without brackets or zone id; undefined when invalid. */
export function parseIpv6(text: string): number[] | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  const halves = text.split('::');
  const side = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    for (const piece of s.split(':')) {
      if (piece.includes('.')) {
        const v4 = piece.split('.').map(Number);
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = side(halves[0] ?? '');
  if (halves.length === 1) return head;
  const tail = side(halves[1] ?? '');
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** RFC 5952 text: lower-case, the longest run of two or more zero groups as `::`. */
export function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; i++) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The IPv4 address embedded in the last 32 bits of IPv6 groups. */
export function embeddedIpv4(groups: number[], at = 6): number {
  return (groups[at] ?? 0) * 65536 + (groups[at + 1] ?? 0);
}

/**
 * IPv4-mapped (`::ffff:a.b.c.d`) and the deprecated IPv4-compatible (`::a.b.c.d`)
 * forms reach the IPv4 address they carry, so they are judged as that address.
 * `::` and `::1` are IPv6's own unspecified and loopback addresses, not IPv4.
 */
export function unwrapIpv4(groups: number[]): number | undefined {
  const zeroHead = groups.slice(0, 5).every((g) => g === 0);
  if (!zeroHead) return undefined;
  if (groups[5] === 0xffff) return embeddedIpv4(groups);
  if (groups[5] === 0 && embeddedIpv4(groups) > 1) return embeddedIpv4(groups);
  return undefined;
}
