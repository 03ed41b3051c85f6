/** The Host the app runs on: the Electron host when the preload exposes its API, else the browser host. */
import { BrowserHost } from './browser.ts';
import { ElectronHost } from './electron.ts';
import type { DesktopApi } from '../../src/desktop/contract.ts';
import type { Host } from './types.ts';
import { askFileName } from '../chrome/ask.ts';

export type { Host, MenuCommand, OpenedFile, RecentFile, SavedFile } from './types.ts';
export { BrowserHost } from './browser.ts';

declare global {
  interface Window {
    /** The Electron preload's API (electron/preload.ts), absent in a browser. */
    yoloArchitect?: DesktopApi;
  }
}

let current: Host | undefined;
export function getHost(): Host {
  current ??=
    typeof window !== 'undefined' && window.yoloArchitect
      ? new ElectronHost(window.yoloArchitect)
      : new BrowserHost(globalThis.localStorage, { askName: askFileName });
  return current;
}
/** For tests. */
export function setHost(h: Host) {
  current = h;
}
