import { z } from 'zod';

/** Discord's ids (users, roles, channels, guilds, applications): 64-bit numbers written in decimal. */
export const DISCORD_SNOWFLAKE = /^\d{15,21}$/;
export const DEFAULT_DISCORD_API = 'https://discord.com/api';

const snowflake = (what: string) => z.string().regex(DISCORD_SNOWFLAKE, `the ${what} id, a string of 15 to 21 digits (Developer Mode: right click > Copy ID)`);

const apiBaseUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, `an http(s) URL such as ${DEFAULT_DISCORD_API}`).transform((value) => value.replace(/\/+$/, ''));

const shardIds = z.array(z.number().int().min(0)).min(1)
  .refine((ids) => new Set(ids).size === ids.length, 'distinct shard ids such as [0, 1]');

const tokenInConfig = z.custom<never>((value) => value === undefined,
  'no token in the configuration (expected DISCORD_TOKEN in the environment, or tokenFile naming a file that holds it)');

/** The `adapters.discord` section. The bot token never stands here: it comes from `DISCORD_TOKEN` or `tokenFile`. */
export const discordConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** REST base without the version; the gateway address is asked from it (tests point it at a loopback stand-in). */
  apiBaseUrl: apiBaseUrl.default(DEFAULT_DISCORD_API),
  /** `auto`: as many shards as Discord recommends, all in this process; or the shard ids this process runs. */
  shards: z.union([z.literal('auto'), shardIds]).default('auto'),
  /** Total shards across every process; required when `shards` lists ids. */
  shardCount: z.number().int().min(1).optional(),
  /** Learnt from Discord when absent. */
  applicationId: snowflake('application').optional(),
  /** Where slash commands are registered: this guild (changes show at once), or globally when absent. */
  guildId: snowflake('guild').optional(),
  /** Register slash commands at start and again whenever plugins change them. */
  syncCommands: z.boolean().default(true),
  /** A file holding the bot token (a mounted secret); without it the token comes from DISCORD_TOKEN. */
  tokenFile: z.string().min(1).optional(),
  token: tokenInConfig.optional(),
}).strict().superRefine((section, ctx) => {
  const { shards, shardCount } = section;
  if (Array.isArray(shards) && shardCount === undefined) {
    ctx.addIssue({ code: 'custom', path: ['shardCount'], message: 'required when shards lists ids (expected the total number of shards across every process)' });
  }
  if (shards === 'auto' && shardCount !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['shardCount'], message: 'only meaningful with a list of shard ids (expected no shardCount while shards is "auto")' });
  }
  if (Array.isArray(shards) && shardCount !== undefined && shards.some((id) => id >= shardCount)) {
    ctx.addIssue({ code: 'custom', path: ['shards'], message: `shard ids must be below shardCount ${shardCount} (expected ids from 0 to ${shardCount - 1})` });
  }
});

export type DiscordConfig = z.infer<typeof discordConfigSchema>;

/** `discord:user:<id>` and `discord:role:<id>` name Discord's numeric ids; a name there (`discord:role:approver`) never matches anybody. */
export function discordIdProblem(qualified: string): string | undefined {
  const match = /^discord:(user|role|channel):(.*)$/.exec(qualified);
  if (!match || /^\d+$/.test(match[2] as string)) return undefined;
  return `${qualified} names a Discord ${match[1]} by something other than its id (expected discord:${match[1]}:<the id, digits only>; Developer Mode: right click > Copy ID)`;
}
