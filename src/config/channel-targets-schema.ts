import { z } from 'zod';
import { parseQualified, type Platform } from '../core/identity.js';

const EXAMPLES: Record<Platform, string> = {
  discord: 'discord:channel:123456789012345678',
  teams: 'teams:conversation:19:abc@thread.tacv2',
  local: 'local:channel:ops',
};

/** One alias of `channels`: platform -> the qualified id of the channel (or person) posts to it go to. */
export const channelTargetsSchema = z.record(z.enum(['discord', 'teams', 'local']), z.string()).superRefine((targets, ctx) => {
  for (const [platform, id] of Object.entries(targets) as Array<[Platform, string]>) {
    const parsed = parseQualified(id);
    const fits = parsed?.platform === platform && ['channel', 'conversation', 'user'].includes(parsed.kind);
    if (!fits) ctx.addIssue({ code: 'custom', path: [platform], message: `a qualified ${platform} channel id such as ${EXAMPLES[platform]}` });
  }
});
