/**
 * Main touches only paths the user chose: through an open/save dialog, opened from the command line or by
 * the OS, or listed in recent files (which were chosen that way before). Everything else is refused; a path
 * the renderer sends (an autosave entry's) or one read back from an autosave file is never granted by that.
 */
import { isAbsolute, normalize, resolve } from 'node:path';

export class PathGrants {
  private readonly granted = new Set<string>();

  grant(path: string): string {
    const p = canonical(path);
    this.granted.add(p);
    return p;
  }
  revoke(path: string) {
    this.granted.delete(canonical(path));
  }
  has(path: string): boolean {
    return this.granted.has(canonical(path));
  }
  /** The canonical path when granted; throws otherwise. */
  check(path: unknown): string {
    if (typeof path !== 'string' || !path || path.length > 4096 || path.includes('\0') || !isAbsolute(path))
      throw new IpcError('a file path must be an absolute path');
    const p = canonical(path);
    if (!this.granted.has(p)) throw new IpcError('that file was not opened or chosen by the user');
    return p;
  }
}

const canonical = (p: string) => normalize(resolve(p));

export class IpcError extends Error {}

/**
 * Whether an IPC message comes from our own page: its URL is exactly the page the window loaded (`pageUrl`:
 * the bundled index.html, or the dev server's page), query and fragment aside. Any other page, another
 * file: page included, is refused.
 */
export function isTrustedSender(url: string | undefined, pageUrl: string): boolean {
  if (!url) return false;
  const a = pageIdentity(url);
  return a !== null && a === pageIdentity(pageUrl);
}

/** The URL without query and fragment, as the URL parser writes it (a space and `%20` compare equal); null when not a URL. */
function pageIdentity(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return null;
  }
}

/** Limits of one saveFiles call. */
export const MAX_FILES = 64;
const MAX_TEXT = 16 * 1024 * 1024;

/** Argument checks for IPC handlers: each returns the value typed, or throws an IpcError naming it. */
export const check = {
  string(v: unknown, name: string, max = 16 * 1024 * 1024): string {
    if (typeof v !== 'string') throw new IpcError(`${name} must be text`);
    if (v.length > max) throw new IpcError(`${name} is too long`);
    return v;
  },
  name(v: unknown, name: string): string {
    const s = check.string(v, name, 255);
    if (!s || /[\\/\0]/.test(s)) throw new IpcError(`${name} must be a plain file name`);
    return s;
  },
  boolean(v: unknown, name: string): boolean {
    if (typeof v !== 'boolean') throw new IpcError(`${name} must be true or false`);
    return v;
  },
  id(v: unknown, name: string): string {
    const s = check.string(v, name, 64);
    if (!/^[A-Za-z0-9_-]+$/.test(s)) throw new IpcError(`${name} must be an id`);
    return s;
  },
  oneOf<T extends string>(v: unknown, name: string, options: readonly T[]): T {
    if (typeof v !== 'string' || !options.includes(v as T))
      throw new IpcError(`${name} must be one of ${options.join(', ')}`);
    return v as T;
  },
  /**
   * A file name written into a folder the user chose: no folders, no '..', not hidden, no control
   * characters, and nothing Windows reads as more than a name (':' streams, '<>"|?*', CON, NUL, …).
   */
  fileName(v: unknown, name: string): string {
    const s = check.string(v, name, 255);
    const bad =
      /[\\/\x00-\x1f\x7f<>:"|?*]/.test(s) ||
      s.includes('..') ||
      s.startsWith('.') ||
      /[. ]$/.test(s) ||
      /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(s);
    if (!s || bad) throw new IpcError(`${name} must be a plain file name`);
    return s;
  },
  /** File names of one export: 1 to 64 plain names. */
  fileNames(v: unknown, name: string): string[] {
    if (!Array.isArray(v) || v.length === 0) throw new IpcError(`${name} must be a list of file names`);
    if (v.length > MAX_FILES) throw new IpcError(`${name}: at most ${MAX_FILES} files`);
    return v.map((n: unknown, i) => check.fileName(n, `${name}[${i}]`));
  },
  /** Files to write into one folder: 1 to 64, plain distinct names, each text under 16 MiB. */
  files(v: unknown, name: string): { path: string; text: string }[] {
    if (!Array.isArray(v) || v.length === 0) throw new IpcError(`${name} must be a list of files`);
    if (v.length > MAX_FILES) throw new IpcError(`${name}: at most ${MAX_FILES} files`);
    const seen = new Set<string>();
    return v.map((f: unknown, i) => {
      if (typeof f !== 'object' || f === null) throw new IpcError(`${name}[${i}] must be an object`);
      const { path, text } = f as { path?: unknown; text?: unknown };
      const p = check.fileName(path, `${name}[${i}].path`);
      const t = check.string(text, `${name}[${i}].text`, MAX_TEXT - 1);
      if (Buffer.byteLength(t, 'utf8') >= MAX_TEXT) throw new IpcError(`${name}[${i}].text is too long`);
      // case-insensitive: the same file on macOS and Windows
      if (seen.has(p.toLowerCase())) throw new IpcError(`${name}: ${p} is listed twice`);
      seen.add(p.toLowerCase());
      return { path: p, text: t };
    });
  },
};
