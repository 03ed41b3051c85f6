/**
 * Module libraries on disk: the user's modules.yaml (the same file the CLI reads) and a model's own
 * NAME.modules.yaml beside NAME.yaml. Node only; no Electron, so it is unit-tested directly.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError, readTextFile, saveTextFile, type Eol } from './files.ts';

/** A model's companion library is read on open only below this size. */
export const MAX_COMPANION_BYTES = 1024 * 1024;

/**
 * The user's module library. This rule MUST match the CLI's userModulesPath (src/cli/modules.ts), which
 * electron/ does not import: $YOLO_ARCHITECT_MODULES, else $XDG_CONFIG_HOME/yolo-architect/modules.yaml,
 * else ~/.config/yolo-architect/modules.yaml (an empty variable counts as unset, as there).
 */
export function userModulesPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.YOLO_ARCHITECT_MODULES) return resolve(env.YOLO_ARCHITECT_MODULES);
  const base = env.XDG_CONFIG_HOME || join(home, '.config');
  return resolve(join(base, 'yolo-architect', 'modules.yaml'));
}

/** NAME.modules.yaml beside NAME.yaml (or NAME.yml); the same rule as the CLI's besideModulesPath. */
export function companionPath(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath).replace(/\.(ya?ml|pt)$/i, '')}.modules.yaml`);
}

/** The user's modules.yaml: its text, '' when it does not exist yet. Other failures throw (never an empty library in its place). */
export async function readUserModules(path: string): Promise<string> {
  try {
    return (await readTextFile(path)).text;
  } catch (e) {
    if (e instanceof FileError && e.code === 'not-found') return '';
    throw e;
  }
}

/**
 * The companion library beside a model, when there is one that is a text file under 1 MiB; null otherwise. A
 * symbolic link is not one: its path comes from the model's, not from the user, and a shared folder could
 * point it at any file.
 */
export async function readCompanion(modelPath: string): Promise<{ name: string; path: string; text: string } | null> {
  const path = companionPath(modelPath);
  try {
    const st = await fs.lstat(path);
    if (!st.isFile() || st.size >= MAX_COMPANION_BYTES) return null;
    return { name: basename(path), path, text: (await readTextFile(path)).text };
  } catch {
    return null;
  }
}

/**
 * Write a module library atomically, creating its folder when needed and keeping the line endings and
 * BOM of the file it replaces (no conflict check: the caller has no way to confirm an overwrite). Through a
 * symbolic link only with `followLinks` (the user's own modules.yaml, which may live in a dotfiles folder; a
 * model's companion is replaced, never followed).
 */
export async function saveModulesFile(path: string, text: string, opts: { followLinks?: boolean } = {}): Promise<void> {
  let style: { eol: Eol; bom: boolean } = { eol: '\n', bom: false };
  try {
    const old = await readTextFile(path);
    style = { eol: old.eol, bom: old.bom };
  } catch {
    /* a new file (or one we cannot read): plain '\n' */
  }
  await fs.mkdir(dirname(path), { recursive: true });
  await saveTextFile(path, text, { ...style, expected: null, force: true, followLinks: opts.followLinks });
}
