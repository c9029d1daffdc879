/** Teams' classic reaction names and the emoji opsroom uses for them. */
const CLASSIC: Record<string, string> = {
  like: '👍',
  heart: '❤️',
  laugh: '😆',
  surprised: '😮',
  sad: '😢',
  angry: '😠',
  yes: '✅',
  no: '❌',
  checkmark: '✅',
};

/** Newer clients send `<code points>_<name>`, e.g. `1f44d_thumbsup` or `2705_whiteheavycheckmark`. */
const CODE_POINTS = /^((?:[0-9a-f]{4,6})(?:-[0-9a-f]{4,6})*)_[a-z0-9]+$/i;

/** The emoji for a Teams reaction type; an unknown name is passed through as it is, never dropped. */
export function emojiOfReaction(type: string): string {
  const classic = CLASSIC[type.toLowerCase()];
  if (classic) return classic;
  const match = CODE_POINTS.exec(type);
  if (match?.[1]) {
    const points = match[1].split('-').map((hex) => Number.parseInt(hex, 16));
    if (points.every((p) => p <= 0x10ffff)) return String.fromCodePoint(...points);
  }
  return type;
}
