/** Reading a config from disk for the CLI, with clear messages. */
import { readFileSync, statSync } from 'node:fs';
import { MAX_TEXT_LENGTH, parseModelText, type ModelSource } from '../core/index.ts';
import { UsageError } from './main.ts';

export function loadConfig(path: string | undefined): ModelSource {
  if (!path) throw new UsageError('no CONFIG given');
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${path} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const text = size > MAX_TEXT_LENGTH * 4 ? 'x'.repeat(MAX_TEXT_LENGTH + 1) : readFileSync(path, 'utf8');
  return parseModelText(text, path);
}
