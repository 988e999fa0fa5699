#!/usr/bin/env node
// The `gapura` command: loads the TypeScript sources through tsx's ESM loader and runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
