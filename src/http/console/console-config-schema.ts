import { z } from 'zod';

const MAX_MINUTES = 30 * 24 * 60;

/** `scheme://host[:port]`, nothing after it: what a browser sends as `Origin`. */
const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'an origin such as https://ops.example.com (a scheme and a host, with a port if not the default, nothing after it)');

/** The `http.console` section: the web console served by the shared HTTP server. */
export const consoleConfigSchema = z.object({
  /** Serve the web console (it needs the local adapter, whose web side it is). */
  enabled: z.boolean().default(true),
  /**
   * Origins the console is reached at besides the address it listens on (loopback names are always allowed), e.g.
   * behind a reverse proxy. A request whose Host or Origin is none of these is refused, which stops DNS rebinding.
   */
  origins: z.array(origin).default([]),
  /** A session ends after this many minutes without a request. */
  sessionIdleMinutes: z.number().int().min(1).max(MAX_MINUTES).default(12 * 60),
  /** An unused login link stops working after this many minutes. */
  loginLinkMinutes: z.number().int().min(1).max(MAX_MINUTES).default(24 * 60),
}).strict();

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
