import { z } from 'zod';

/** An https registry, or any registry on this machine (a local mirror or a test stand-in may speak plain http). */
const registryUrl = z.string().url().refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'an https URL such as https://registry.npmjs.org (plain http only for 127.0.0.1, localhost or [::1])');

/** Where community plugins come from and how much an archive may hold; the `plugins.install` section. */
export const installOptionsSchema = z.object({
  /** The npm registry for `npm:<name>@<version>` sources and `plugin search`. */
  registry: registryUrl.default('https://registry.npmjs.org'),
  /** Extra PEM certificates to trust for downloads (an internal registry's CA), on top of the system's. */
  caFile: z.string().min(1).optional(),
  /** The largest download (packument or tarball) accepted, in KiB. */
  maxDownloadKb: z.number().int().min(1).max(1_048_576).default(10_240),
  /** The most an archive may unpack to, in KiB: a gzip bomb stops here. */
  maxUnpackedKb: z.number().int().min(1).max(4_194_304).default(20_480),
  /** The most entries (files and folders) an archive may hold. */
  maxFiles: z.number().int().min(1).max(100_000).default(1_000),
  /** How long one download may take, connection to last byte. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
}).strict();

export type InstallOptions = z.infer<typeof installOptionsSchema>;
