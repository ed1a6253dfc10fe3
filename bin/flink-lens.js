#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so `npm ci` alone gives a working CLI (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
