/**
 * Reading a model for the CLI, with clear messages: a config (.yaml) or a PyTorch checkpoint (.pt,
 * recognised by its zip signature whatever its name), which stands for its embedded YAML wherever a
 * config is taken; `checkpointWeights` then gives its weights to whoever runs it.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { checkpointYaml, isZip, readCheckpoint } from '../core/checkpoint/index.ts';
import { LIMITS, MAX_TEXT_LENGTH, parseModelText, type ModelSource } from '../core/index.ts';
import { UsageError } from './command.ts';

/** Largest checkpoint read (yolov5x6 in fp32 is about 560 MB). */
export const MAX_CHECKPOINT_BYTES = LIMITS.checkpointBytes;

const checkpoints = new WeakMap<ModelSource, Uint8Array>();

/** A config's parsed source; for a .pt, the source of its embedded YAML. */
export function loadConfig(path: string | undefined): ModelSource {
  if (!path) throw new UsageError('no CONFIG given');
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${path} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  if (startsWithZip(path)) return loadCheckpoint(path, size);
  const text = size > MAX_TEXT_LENGTH * 4 ? 'x'.repeat(MAX_TEXT_LENGTH + 1) : readFileSync(path, 'utf8');
  return parseModelText(text, path);
}

/** The checkpoint bytes a source was read from (its weights), when it came from a .pt. */
export function checkpointWeights(src: ModelSource): Uint8Array | undefined {
  return checkpoints.get(src);
}

function startsWithZip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(4);
    return readSync(fd, head, 0, 4, 0) === 4 && isZip(head);
  } finally {
    closeSync(fd);
  }
}

function loadCheckpoint(path: string, size: number): ModelSource {
  if (size > MAX_CHECKPOINT_BYTES)
    throw new Error(`${path} is ${(size / 2 ** 30).toFixed(1)} GiB; checkpoints up to 2 GiB are read`);
  const bytes = new Uint8Array(readFileSync(path));
  let text: string;
  try {
    text = checkpointYaml(readCheckpoint(bytes), basename(path));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  const src = parseModelText(text, path);
  checkpoints.set(src, bytes);
  return src;
}
