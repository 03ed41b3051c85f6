/**
 * The file service of the main process: reads a config keeping its line endings and BOM, saves atomically
 * (temporary file in the same folder, flush, rename), and refuses to overwrite a file changed on disk
 * since it was read unless told to. Node only; no Electron, so it is unit-tested directly.
 */
import { createHash } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type Eol = '\n' | '\r\n';

export interface FileSnapshot {
  path: string;
  /** Text with '\n' line endings and no BOM (what the editor holds). */
  text: string;
  eol: Eol;
  bom: boolean;
  /** Identity of the bytes on disk when read or last saved. */
  stamp: FileStamp;
}

export interface FileStamp {
  mtimeMs: number;
  size: number;
  sha256: string;
}

export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class FileError extends Error {
  constructor(
    readonly code: 'not-found' | 'too-large' | 'not-a-file' | 'not-text' | 'changed-on-disk' | 'io',
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function detectEol(text: string): Eol {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

export async function stampOf(path: string): Promise<FileStamp | null> {
  try {
    const buf = await fs.readFile(path);
    const st = await fs.stat(path);
    return { mtimeMs: st.mtimeMs, size: st.size, sha256: sha256(buf) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function readTextFile(path: string): Promise<FileSnapshot> {
  const st = await statFile(path, MAX_FILE_BYTES);
  const buf = await fs.readFile(path);
  if (buf.includes(0)) throw new FileError('not-text', `${basename(path)} is not a text file`);
  let raw = buf.toString('utf8');
  const bom = raw.charCodeAt(0) === 0xfeff;
  if (bom) raw = raw.slice(1);
  const eol = detectEol(raw);
  return {
    path,
    text: raw.replace(/\r\n/g, '\n'),
    eol,
    bom,
    stamp: { mtimeMs: st.mtimeMs, size: st.size, sha256: sha256(buf) },
  };
}

/** A YOLOv5 checkpoint (.pt) is binary and can be large: read whole, up to this size. */
export const MAX_CHECKPOINT_BYTES = 1024 * 1024 * 1024;

/** A binary file's bytes (a .pt checkpoint), with the same clear errors as text files. */
export async function readBinaryFile(path: string, max = MAX_CHECKPOINT_BYTES): Promise<Buffer> {
  await statFile(path, max);
  return fs.readFile(path);
}

/** A file's stat, or a clear error: missing, not a file, larger than `max` bytes. */
async function statFile(path: string, max: number) {
  let st;
  try {
    st = await fs.stat(path);
  } catch {
    throw new FileError('not-found', `${path}: no such file`);
  }
  if (!st.isFile()) throw new FileError('not-a-file', `${path} is not a file`);
  if (st.size > max)
    throw new FileError(
      'too-large',
      `${basename(path)} is ${(st.size / 1048576).toFixed(1)} MiB; the limit is ${max / 1048576} MiB`,
    );
  return st;
}

/** The bytes a save writes: the editor's text in the file's own line endings and BOM. */
export function encodeText(text: string, eol: Eol, bom: boolean): Buffer {
  const body = eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\r\n/g, '\n');
  return Buffer.from((bom ? '\ufeff' : '') + body, 'utf8');
}

/**
 * The file a write to `path` must change: `path` itself, or, when it is a symbolic link (or a chain of them),
 * the file it points to, existing or not. Renaming over the link itself would replace the link with a copy
 * and leave the file it points to unchanged.
 */
export async function writeTarget(path: string): Promise<string> {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await fs.lstat(p);
    } catch {
      return p; // a new file (or a dangling link's target): written where the path leads
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), await fs.readlink(p));
  }
  throw new FileError('io', `${basename(path)}: too many symbolic links`);
}

export interface WriteOptions {
  /**
   * Write the file a symbolic link points to (the link stays): only for a file the user opened or chose
   * themselves. Otherwise (a file we derive a path for, or put into a folder) a link is replaced by the
   * file, so a link planted in a shared folder cannot send our write anywhere else.
   */
  followLinks?: boolean;
}

/** Write bytes atomically: a temporary file beside the target, flushed, then renamed over it. */
export async function writeAtomic(linkOrPath: string, data: Buffer | string, opts: WriteOptions = {}): Promise<void> {
  const path = opts.followLinks ? await writeTarget(linkOrPath) : resolve(linkOrPath);
  const dir = dirname(path);
  const tmp = join(
    dir,
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  let mode: number | undefined;
  try {
    mode = (await fs.stat(path)).mode & 0o777;
  } catch {
    mode = undefined;
  }
  const fh = await fs.open(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, mode ?? 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw new FileError('io', `could not write ${basename(path)}: ${(e as Error).message}`);
  }
  await fh.close();
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new FileError('io', `could not save ${basename(path)}: ${(e as Error).message}`);
  }
  try {
    const dh = await fs.open(dir, 'r');
    await dh.sync().catch(() => {});
    await dh.close();
  } catch {
    /* directories cannot be opened for sync on every platform */
  }
}

export interface SaveOptions {
  eol: Eol;
  bom: boolean;
  /** What the file was when read or last saved; null for a new file. A different file on disk is a conflict. */
  expected: FileStamp | null;
  /** Overwrite even if the file changed on disk (after the user confirmed). */
  force?: boolean;
  /** Through a symbolic link, write the file it points to (see WriteOptions). */
  followLinks?: boolean;
}

export async function saveTextFile(path: string, text: string, opts: SaveOptions): Promise<FileStamp> {
  if (!opts.force && opts.expected) {
    const now = await stampOf(path);
    if (now && now.sha256 !== opts.expected.sha256) {
      throw new FileError('changed-on-disk', `${basename(path)} was changed on disk since it was opened`);
    }
  }
  const bytes = encodeText(text, opts.eol, opts.bom);
  await writeAtomic(path, bytes, { followLinks: opts.followLinks });
  const st = await fs.stat(path);
  return { mtimeMs: st.mtimeMs, size: st.size, sha256: sha256(bytes) };
}

/**
 * Write files into a folder, each atomically. The names must already be checked plain names
 * (check.files); a name that still reaches outside the folder is refused before anything is written, and a
 * symbolic link in the folder is replaced, never followed.
 */
export async function writeFilesInto(folder: string, files: { path: string; text: string }[]): Promise<void> {
  const dir = resolve(folder);
  const targets = files.map((f) => {
    const target = join(dir, f.path);
    if (dirname(target) !== dir || basename(target) !== f.path)
      throw new FileError('io', `${f.path} is not a plain file name`);
    return { target, text: f.text };
  });
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new FileError('not-found', `${dir}: no such folder`);
  for (const t of targets) await writeAtomic(t.target, t.text);
}

/**
 * The files among `names` already in a folder, with their text when each is a regular text file under
 * 16 MiB (null otherwise: a link is reported, never read through, as are folders, binaries and huge files).
 */
export async function existingFiles(folder: string, names: string[]): Promise<{ path: string; text: string | null }[]> {
  const dir = resolve(folder);
  const out: { path: string; text: string | null }[] = [];
  for (const name of names) {
    const p = join(dir, name);
    if (dirname(p) !== dir || basename(p) !== name) throw new FileError('io', `${name} is not a plain file name`);
    let st;
    try {
      st = await fs.lstat(p);
    } catch {
      continue; // not there
    }
    let text: string | null = null;
    if (st.isFile() && st.size < MAX_FILE_BYTES) {
      const buf = await fs.readFile(p).catch(() => null);
      if (buf && !buf.includes(0)) text = buf.toString('utf8');
    }
    out.push({ path: name, text });
  }
  return out;
}
