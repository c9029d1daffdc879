#!/usr/bin/env node
// The opsroom command. TypeScript sources run through tsx, so there is no build step between a clone and a start.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig (decorators on) applies wherever the command is run from.
const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
process.env.TSX_TSCONFIG_PATH ??= tsconfig;
register({ tsconfig });
await import('../src/cli/main.ts');
