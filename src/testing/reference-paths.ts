/**
 * Where the golden data is: ../shared/reference beside the project, or REFERENCE_DIR. No test framework here,
 * so the e2e runner (plain Node) reads paths from the same place as the Vitest tests (reference.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REFERENCE_DIR = resolve(PROJECT_DIR, process.env.REFERENCE_DIR ?? '../shared/reference');
export const SHARED_DIR = dirname(REFERENCE_DIR);
export const hasReference = existsSync(join(REFERENCE_DIR, 'README.md'));
export const referencePath = (...parts: string[]) => join(REFERENCE_DIR, ...parts);
