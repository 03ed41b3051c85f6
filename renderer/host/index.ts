/** The Host the app runs on: the Electron host when the preload exposes one, else the browser host. */
import { BrowserHost } from './browser.ts';
import type { Host } from './types.ts';

export type { Host, MenuCommand, OpenedFile, RecentFile, SavedFile } from './types.ts';
export { BrowserHost } from './browser.ts';

declare global {
  interface Window {
    /** Set by the Electron preload (a later issue) to a Host over its IPC API. */
    yoloArchitectHost?: Host;
  }
}

let current: Host | undefined;
export function getHost(): Host {
  current ??= (typeof window !== 'undefined' && window.yoloArchitectHost) || new BrowserHost();
  return current;
}
/** For tests. */
export function setHost(h: Host) {
  current = h;
}
