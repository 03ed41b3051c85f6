#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a dependency), so `npx yolo-architect` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run-main.ts');
