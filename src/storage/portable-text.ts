const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string both databases store exactly as given: PostgreSQL refuses NUL in text, and both drivers
 * silently turn a lone UTF-16 surrogate into U+FFFD, which would make stored text differ from hashed text.
 */
export function portableText(value: string): string {
  return value.replace(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}
