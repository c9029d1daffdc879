import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../../src/plugins/plugin-manifest.js';

const manifest = (net: string[]) => ({ name: 'status', version: '1.0.0', apiVersion: 1, description: 'checks health', capabilities: { net } });

describe('the manifest net capability', () => {
  it('accepts "*", the request for hosts the operator names (as the status plugin makes)', () => {
    expect(manifestSchema.safeParse(manifest(['*'])).success).toBe(true);
    expect(manifestSchema.safeParse(manifest(['*', 'api.github.com', '*.example.com', 'host:8443'])).success).toBe(true);
  });

  it('still refuses other wildcards and malformed hosts', () => {
    for (const bad of ['**', '*example.com', 'api.*.com', 'http://api.github.com', '']) {
      expect(manifestSchema.safeParse(manifest([bad])).success, bad).toBe(false);
    }
  });

  it('never lets "*" stand for a host a secret may be sent to', () => {
    const parsed = manifestSchema.safeParse({ ...manifest(['*']), capabilities: { net: ['*'], secrets: { TOKEN: ['*'] } } });
    expect(parsed.success).toBe(false);
  });
});
