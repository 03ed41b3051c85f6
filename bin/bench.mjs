#!/usr/bin/env node
import { register } from 'tsx/esm/api';

register();
process.argv.splice(2, 0, ...[]);
await import('../bench/index.ts');
