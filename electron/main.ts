/**
 * The Electron main process: one secure window per document set, native menus, dialogs, the file service,
 * autosave, and nothing the renderer can reach except the validated IPC channels of api.ts.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { CHANNELS, type CloseAnswer, type DesktopApi, type DesktopFile, type SaveResult } from './api.ts';
import { check, IpcError, isTrustedSender } from './services/access.ts';
import { readBinaryFile, stampOf } from './services/files.ts';
import { readUserModules, saveModulesFile, userModulesPath } from './services/modules.ts';
import { menuTemplate, type MenuItem } from './services/menu.ts';
import { openExternalLink } from './services/links.ts';
import { contentSecurityPolicy } from './services/csp.ts';
import { DocumentService } from './services/documents.ts';
import { guardedListener } from './services/ipc.ts';
import { CloseGuard } from './services/close.ts';
import { CrashPolicy } from './services/crash.ts';
import { APP_INDEX_URL, APP_SCHEME, appProtocolHandler } from './services/app-protocol.ts';
import {
  checkFirstLaunch,
  guessSoftwareGpu,
  machineDevices,
  noteGpu,
  readCompositing,
  relaunchArgs,
  SOFTWARE_COMPOSITING_SWITCH,
  softwareCompositing,
  writeCompositing,
} from './services/compositing.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const DEV_URL = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const RENDERER_NAME = typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window';
const isDev = !app.isPackaged;

/** The header version of the page's policy (electron/services/csp.ts); the dev server's allows its hot reload. */
export const CSP = contentSecurityPolicy({ dev: !!DEV_URL });

/**
 * The one URL the window loads, and so the only page whose IPC messages are trusted: the bundled index.html
 * through the app:// protocol (app-protocol.ts: cross-origin isolated, so tfjs-wasm has its threads; a
 * file:// page cannot be), or the dev server's page.
 */
function appPageUrl(): string {
  return DEV_URL ?? APP_INDEX_URL;
}

/** An image picked to run: a photo, not a dataset. */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/**
 * Window compositing (services/compositing.ts): read before the app is ready, when Chromium's compositor is
 * chosen; software when a software GPU was seen at an earlier launch (or the user chose it). The first launch
 * that could not tell before ready asks the GPU before its first window and relaunches once on a software GL.
 */
const compositingPath = join(app.getPath('userData'), 'compositing.json');
let compositing = readCompositing(compositingPath);
const softwareNow = softwareCompositing(compositing, guessSoftwareGpu(process.platform, machineDevices));
if (softwareNow) app.commandLine.appendSwitch(SOFTWARE_COMPOSITING_SWITCH);

/** Remember whether this launch's GPU draws in software (for the next launch's compositor). */
async function noteThisGpu() {
  try {
    const next = noteGpu(compositing, await app.getGPUInfo('complete'));
    if (!next) return;
    compositing = next;
    await writeCompositing(compositingPath, compositing);
    buildMenu();
  } catch {
    /* GPU information is best effort: the compositor stays as it is */
  }
}

let docs: DocumentService;
const watchers = new Map<string, FSWatcher>();
let templates: { id: string; label: string }[] = [];
const pendingOpen: string[] = [];
const crashes = new CrashPolicy();
const closing = new CloseGuard({
  askPage: (id) => BrowserWindow.fromId(id)?.webContents.send(CHANNELS.closeRequest),
  askNatively: async (id) => {
    const win = BrowserWindow.fromId(id);
    if (!win) return true;
    const r = await dialog.showMessageBox(win, {
      type: 'warning',
      buttons: ['Cancel', 'Close Anyway'],
      defaultId: 0,
      cancelId: 0,
      message: 'The window is not responding, and it has unsaved changes.',
      detail: 'If you close it, the last automatic copy of your changes is offered back at the next start.',
    });
    return r.response === 1;
  },
  close: (id) => BrowserWindow.fromId(id)?.close(),
  quit: () => app.quit(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

function trusted(e: IpcMainEvent | IpcMainInvokeEvent) {
  const url = e.senderFrame?.url;
  if (!isTrustedSender(url, appPageUrl())) throw new IpcError(`IPC from an untrusted page refused: ${url}`);
  return BrowserWindow.fromWebContents(e.sender);
}

function handle(channel: string, fn: (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown) {
  ipcMain.handle(channel, async (e, ...args) => {
    trusted(e);
    return fn(e, ...args);
  });
}

/** An ipcMain.on listener: trusted senders only, and nothing it throws reaches Electron. */
function on(channel: string, fn: (e: IpcMainEvent, ...args: unknown[]) => unknown) {
  ipcMain.on(
    channel,
    guardedListener(channel, (e: IpcMainEvent, ...args: unknown[]) => {
      trusted(e);
      return fn(e, ...args);
    }),
  );
}

/** Read a file for a window; a failure other than "gone" is shown in a dialog. */
async function openPath(
  path: string,
  win: BrowserWindow | null,
  how: 'chosen' | 'granted' = 'chosen',
): Promise<DesktopFile | null> {
  const r = how === 'chosen' ? await docs.openChosen(path) : await docs.openGranted(path);
  if (r.ok) {
    if (!r.file.bytes) watchFile(r.file.path, win);
    return r.file;
  }
  if (r.reason === 'error' && win)
    void dialog.showMessageBox(win, { type: 'error', message: `Cannot open ${basename(path)}`, detail: r.message });
  return null;
}

/** Send a file to the page, which asks about unsaved changes before it replaces the document. */
function sendOpen(win: BrowserWindow, path: string, how: 'chosen' | 'granted' = 'chosen') {
  void openPath(path, win, how).then((f) => f && !win.isDestroyed() && win.webContents.send(CHANNELS.openFile, f));
}

function watchFile(path: string, win: BrowserWindow | null) {
  if (watchers.has(path) || !win) return;
  try {
    const w = watch(path, { persistent: false }, async () => {
      const k = docs.diskState(path);
      const now = await stampOf(path).catch(() => null);
      if (k && now && now.sha256 !== k.stamp.sha256 && !win.isDestroyed())
        win.webContents.send(CHANNELS.fileChanged, path);
    });
    watchers.set(path, w);
  } catch {
    /* watching is best effort */
  }
}

/** The user's module library written atomically (through a symbolic link: theirs, e.g. a dotfiles folder). */
async function saveModules(path: string, text: string): Promise<SaveResult> {
  try {
    await saveModulesFile(path, text, { followLinks: true });
    return { ok: true, name: basename(path), path };
  } catch (e) {
    return { ok: false, reason: 'error', message: (e as Error).message };
  }
}

/** Where the export's folder dialog starts: the documents folder, else home. */
function documentsFolder(): string {
  try {
    const d = app.getPath('documents');
    if (existsSync(d)) return d;
  } catch {
    /* no documents folder on this system */
  }
  return app.getPath('home');
}

function registerIpc() {
  handle(CHANNELS.open, async (e) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = await dialog.showOpenDialog(win!, {
      properties: ['openFile'],
      filters: [
        { name: 'YOLO model, dataset or checkpoint', extensions: ['yaml', 'yml', 'pt'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    if (r.canceled || !r.filePaths[0]) return null;
    return openPath(r.filePaths[0], win);
  });
  handle(CHANNELS.openRecent, async (e, path) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    return openPath(docs.grants.check(path), win, 'granted');
  });
  handle(CHANNELS.save, async (_e, path, text, force) => docs.save(path, text, force));
  handle(CHANNELS.saveAs, async (e, name, text) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = await dialog.showSaveDialog(win!, {
      defaultPath: check.name(name, 'name'),
      filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
    });
    if (r.canceled || !r.filePath) return { ok: false, reason: 'cancelled' } satisfies SaveResult;
    return docs.saveChosen(r.filePath, text);
  });
  handle(CHANNELS.loadUserModules, async (): ReturnType<DesktopApi['loadUserModules']> => {
    const path = userModulesPath();
    return { text: await readUserModules(path), path };
  });
  handle(CHANNELS.saveUserModules, async (_e, text) => saveModules(userModulesPath(), check.string(text, 'text')));
  handle(CHANNELS.saveModelModules, async (_e, modelPath, text) => docs.saveModelModules(modelPath, text));
  handle(CHANNELS.pickExportFolder, async (e, folder, names) => {
    const name = check.fileName(folder, 'folder');
    check.fileNames(names, 'names');
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = await dialog.showOpenDialog(win!, {
      title: 'Export Into Folder',
      buttonLabel: 'Export Here',
      defaultPath: join(documentsFolder(), name),
      properties: ['openDirectory', 'createDirectory'],
    });
    if (r.canceled || !r.filePaths[0]) return null;
    return docs.exportFolder(r.filePaths[0], names);
  });
  handle(CHANNELS.writeExportFiles, async (_e, folder, files) => docs.writeExport(folder, files));
  handle(CHANNELS.pickImage, async (e): ReturnType<DesktopApi['pickImage']> => {
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = await dialog.showOpenDialog(win!, {
      properties: ['openFile'],
      filters: [{ name: 'Image (PNG, JPEG)', extensions: ['png', 'jpg', 'jpeg'] }],
    });
    const path = r.filePaths[0];
    if (r.canceled || !path) return null;
    try {
      return { name: basename(path), bytes: new Uint8Array(await readBinaryFile(path, MAX_IMAGE_BYTES)) };
    } catch (err) {
      if (win)
        void dialog.showMessageBox(win, {
          type: 'error',
          message: `Cannot open ${basename(path)}`,
          detail: (err as Error).message,
        });
      return null;
    }
  });
  handle(CHANNELS.recentFiles, async () =>
    docs.recent.map((p, i) => ({ name: basename(p), path: p, openedAt: Date.now() - i })),
  );
  handle(CHANNELS.autosave, async (_e, entry) => docs.writeAutosave(entry));
  handle(CHANNELS.discardAutosave, async (_e, id) => docs.discardAutosave(id));
  handle(CHANNELS.recoverable, async () => docs.recoverable());
  handle(CHANNELS.restoreAutosave, async (_e, oldId, entry) => docs.restoreAutosave(oldId, entry));
  on(CHANNELS.setDirty, (e, v) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    if (win) closing.setDirty(win.id, check.boolean(v, 'dirty'));
  });
  on(CHANNELS.answerClose, (e, answer) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    if (win) closing.onAnswer(win.id, check.oneOf<CloseAnswer>(answer, 'answer', ['asking', 'proceed', 'cancel']));
  });
  on(CHANNELS.openExternal, (_e, url) => {
    openExternalLink(check.string(url, 'url', 2048), shell);
  });
  on(CHANNELS.setTemplates, (_e, list) => {
    if (!Array.isArray(list)) throw new IpcError('templates must be a list');
    templates = list
      .slice(0, 100)
      .map((t) => ({ id: check.id(t?.id, 'template id'), label: check.string(t?.label, 'label', 100) }));
    buildMenu();
  });
}

function toElectron(items: MenuItem[]): MenuItemConstructorOptions[] {
  return items.map((i) => {
    const o: MenuItemConstructorOptions = {};
    if (i.label) o.label = i.label;
    if (i.role) o.role = i.role as MenuItemConstructorOptions['role'];
    if (i.type) o.type = i.type;
    if (i.checked !== undefined) o.checked = i.checked;
    if (i.accelerator) o.accelerator = i.accelerator;
    if (i.registerAccelerator === false) o.registerAccelerator = false;
    if (i.enabled === false) o.enabled = false;
    if (i.submenu) o.submenu = toElectron(i.submenu);
    const a = i.action;
    if (a) {
      o.click = async (_m, w) => {
        if ('compositing' in a) {
          compositing = { ...compositing, choice: a.compositing };
          await writeCompositing(compositingPath, compositing).catch(() => {});
          return buildMenu();
        }
        const win = (w as BrowserWindow | undefined) ?? BrowserWindow.getFocusedWindow();
        if (!win) return;
        if ('command' in a) win.webContents.send(CHANNELS.menu, a.command);
        else if ('newFromTemplate' in a) win.webContents.send(CHANNELS.menu, { newFromTemplate: a.newFromTemplate });
        else if ('openRecent' in a) sendOpen(win, a.openRecent, 'granted');
        else if ('clearRecent' in a) docs.clearRecent();
      };
    }
    return o;
  });
}

function buildMenu() {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      toElectron(
        menuTemplate({
          platform: process.platform,
          appName: app.getName(),
          recent: [...docs.recent],
          templates,
          compositing: { ...compositing, software: softwareNow },
        }),
      ),
    ),
  );
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'YOLO Architect',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: isDev,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  const id = win.id;
  // unsaved changes: the page asks Save / Don't save / Cancel (close.ts), for closing and for quitting
  win.on('close', (e) => {
    if (!closing.onClose(id)) e.preventDefault();
  });
  win.on('closed', () => closing.forget(id));
  // the page's process died (a crash, out of memory): load it again; the autosave is offered back there
  win.webContents.on('render-process-gone', (_e, details) => {
    closing.pageReset(id);
    const action = crashes.onGone(details.reason, Date.now());
    if (action === 'reload' && !win.isDestroyed()) void win.loadURL(appPageUrl());
    else if (action === 'give-up' && !win.isDestroyed())
      void dialog.showMessageBox(win, {
        type: 'error',
        message: 'The window stopped several times in a row.',
        detail: `Last reason: ${details.reason}. Your unsaved changes are kept and offered back when you start the app again.`,
      });
  });
  void win.loadURL(appPageUrl());
  win.webContents.once('did-finish-load', () => {
    for (const p of pendingOpen.splice(0)) sendOpen(win, p);
    void noteThisGpu();
  });
  return win;
}

function yamlArgs(argv: string[]): string[] {
  return argv.slice(1).filter((a) => /\.(ya?ml|pt)$/i.test(a) && existsSync(a));
}

// before the app is ready: app:// is a standard, secure origin with fetch (the page, its worker and wasm)
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
    for (const p of yamlArgs(argv)) sendOpen(win, p);
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    const win = BrowserWindow.getAllWindows()[0];
    if (win) sendOpen(win, path);
    else pendingOpen.push(path);
  });
  app.on('before-quit', () => closing.beforeQuit());
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => {
      if (url !== contents.getURL()) ev.preventDefault();
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalLink(url, shell);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(async () => {
    const first = await checkFirstLaunch({
      state: compositing,
      softwareNow,
      argv: process.argv,
      gpuInfo: () => app.getGPUInfo('complete'),
      write: (state) => writeCompositing(compositingPath, state),
    });
    if (first.state) compositing = first.state;
    if (first.relaunch) {
      // no window is open yet: the relaunch composites in software from its first frame
      app.relaunch({ args: relaunchArgs(process.argv, pendingOpen) });
      app.exit(0);
      return;
    }
    docs = new DocumentService({ userData: app.getPath('userData'), onRecentChanged: buildMenu });
    await docs.loadRecent();
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
    );
    protocol.handle(APP_SCHEME, appProtocolHandler(join(__dirname, `../renderer/${RENDERER_NAME}`), CSP));
    registerIpc();
    buildMenu();
    pendingOpen.push(...yamlArgs(process.argv));
    createWindow();
    app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  });
  app.on('window-all-closed', () => {
    for (const w of watchers.values()) w.close();
    if (process.platform !== 'darwin') app.quit();
  });
}
