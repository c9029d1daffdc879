const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/** A fresh snowflake: the current time in Discord's layout, unique within the process. */
export function nextSnowflake(now = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return ((BigInt(now) - DISCORD_EPOCH) << 22n | (1n << 17n) | increment).toString();
}

/** Which shard a guild belongs to, by Discord's formula. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** The time a snowflake was minted, as an ISO timestamp. */
export function timestampOf(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
}
