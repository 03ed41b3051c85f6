/**
 * Main touches only paths the user chose: through an open/save dialog, opened from the command line or
 * by a drop, or listed in recent files (which were chosen that way before). Everything else is refused.
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
    if (typeof path !== 'string' || !path || path.length > 4096 || path.includes('\0') || !isAbsolute(path)) throw new IpcError('a file path must be an absolute path');
    const p = canonical(path);
    if (!this.granted.has(p)) throw new IpcError('that file was not opened or chosen by the user');
    return p;
  }
}

const canonical = (p: string) => normalize(resolve(p));

export class IpcError extends Error {}

/** The only origins our renderer is served from: the packaged file, or the dev server on localhost. */
export function isTrustedSender(url: string | undefined, devServerUrl?: string): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    if (u.protocol === 'file:') return true;
    if (devServerUrl) {
      const d = new URL(devServerUrl);
      return u.origin === d.origin && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
    }
    return false;
  } catch {
    return false;
  }
}

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
    if (typeof v !== 'string' || !options.includes(v as T)) throw new IpcError(`${name} must be one of ${options.join(', ')}`);
    return v as T;
  },
};
