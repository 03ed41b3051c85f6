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
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { CHANNELS, type DesktopApi, type DesktopFile, type SaveResult } from './api.ts';
import { AutosaveStore, type AutosaveEntry } from './services/autosave.ts';
import { PathGrants, check, IpcError, isTrustedSender } from './services/access.ts';
import {
  FileError,
  readBinaryFile,
  readTextFile,
  saveTextFile,
  stampOf,
  writeAtomic,
  writeFilesInto,
  type Eol,
  type FileStamp,
} from './services/files.ts';
import { companionPath, readCompanion, readUserModules, saveModulesFile, userModulesPath } from './services/modules.ts';
import { menuTemplate, type MenuItem } from './services/menu.ts';
import { openExternalLink } from './services/links.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

type SaveFilesResult = Awaited<ReturnType<DesktopApi['saveFiles']>>;

const DEV_URL = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const RENDERER_NAME = typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window';
const isDev = !app.isPackaged;

/** 'wasm-unsafe-eval' for tfjs's wasm backend; no remote code; styles through CodeMirror's nonce-free API. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const grants = new PathGrants();
const known = new Map<string, { eol: Eol; bom: boolean; stamp: FileStamp }>();
const watchers = new Map<string, FSWatcher>();
let autosave: AutosaveStore;
let recentPath: string;
let recent: string[] = [];
let templates: { id: string; label: string }[] = [];
const dirty = new WeakMap<BrowserWindow, boolean>();
const pendingOpen: string[] = [];

function loadRecent() {
  try {
    const list = JSON.parse(readFileSync(recentPath, 'utf8'));
    recent = Array.isArray(list) ? list.filter((p) => typeof p === 'string').slice(0, 10) : [];
  } catch {
    recent = [];
  }
  for (const p of recent) grants.grant(p);
}
function remember(path: string) {
  recent = [path, ...recent.filter((p) => p !== path)].slice(0, 10);
  void writeAtomic(recentPath, JSON.stringify(recent)).catch(() => {});
  buildMenu();
}

function trusted(e: IpcMainEvent | IpcMainInvokeEvent) {
  const url = e.senderFrame?.url;
  if (!isTrustedSender(url, DEV_URL)) throw new IpcError(`IPC from an untrusted page refused: ${url}`);
  return BrowserWindow.fromWebContents(e.sender);
}

function handle(channel: string, fn: (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown) {
  ipcMain.handle(channel, async (e, ...args) => {
    trusted(e);
    return fn(e, ...args);
  });
}

async function openPath(path: string, win: BrowserWindow | null): Promise<DesktopFile | null> {
  const p = grants.grant(path);
  try {
    if (/\.pt$/i.test(p)) {
      // a YOLOv5 checkpoint: the renderer reads it (src/core/checkpoint); nothing here unpickles anything
      const bytes = await readBinaryFile(p);
      remember(p);
      return {
        name: basename(p),
        path: p,
        text: '',
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      };
    }
    const snap = await readTextFile(p);
    known.set(p, { eol: snap.eol, bom: snap.bom, stamp: snap.stamp });
    watchFile(p, win);
    remember(p);
    const modules = await readCompanion(p);
    if (modules) grants.grant(modules.path);
    return {
      name: basename(p),
      path: p,
      text: snap.text,
      ...(modules ? { modules: { name: modules.name, text: modules.text } } : {}),
    };
  } catch (e) {
    if (e instanceof FileError && e.code === 'not-found') {
      recent = recent.filter((r) => r !== p);
      buildMenu();
      return null;
    }
    if (win)
      void dialog.showMessageBox(win, {
        type: 'error',
        message: `Cannot open ${basename(p)}`,
        detail: (e as Error).message,
      });
    return null;
  }
}

function watchFile(path: string, win: BrowserWindow | null) {
  if (watchers.has(path) || !win) return;
  try {
    const w = watch(path, { persistent: false }, async () => {
      const k = known.get(path);
      const now = await stampOf(path).catch(() => null);
      if (k && now && now.sha256 !== k.stamp.sha256 && !win.isDestroyed())
        win.webContents.send(CHANNELS.fileChanged, path);
    });
    watchers.set(path, w);
  } catch {
    /* watching is best effort */
  }
}

async function save(path: string, text: string, force: boolean): Promise<SaveResult> {
  const k = known.get(path);
  try {
    const stamp = await saveTextFile(path, text, {
      eol: k?.eol ?? '\n',
      bom: k?.bom ?? false,
      expected: k?.stamp ?? null,
      force,
    });
    known.set(path, { eol: k?.eol ?? '\n', bom: k?.bom ?? false, stamp });
    remember(path);
    return { ok: true, name: basename(path), path };
  } catch (e) {
    if (e instanceof FileError && e.code === 'changed-on-disk')
      return { ok: false, reason: 'changed-on-disk', message: e.message };
    return { ok: false, reason: 'error', message: (e as Error).message };
  }
}

/** A module library (the user's or a model's companion) written atomically. */
async function saveModules(path: string, text: string): Promise<SaveResult> {
  try {
    await saveModulesFile(path, text);
    return { ok: true, name: basename(path), path };
  } catch (e) {
    return { ok: false, reason: 'error', message: (e as Error).message };
  }
}

/** Where the folder dialog of saveFiles starts: the documents folder, else home. */
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
  handle(CHANNELS.openRecent, async (e, path) => openPath(grants.check(path), BrowserWindow.fromWebContents(e.sender)));
  handle(CHANNELS.save, async (_e, path, text, force) =>
    save(grants.check(path), check.string(text, 'text'), check.boolean(force, 'force')),
  );
  handle(CHANNELS.saveAs, async (e, name, text) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = await dialog.showSaveDialog(win!, {
      defaultPath: check.name(name, 'name'),
      filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
    });
    if (r.canceled || !r.filePath) return { ok: false, reason: 'cancelled' } satisfies SaveResult;
    const p = grants.grant(r.filePath);
    known.delete(p);
    return save(p, check.string(text, 'text'), true);
  });
  handle(CHANNELS.loadUserModules, async (): ReturnType<DesktopApi['loadUserModules']> => {
    const path = userModulesPath();
    return { text: await readUserModules(path), path };
  });
  handle(CHANNELS.saveUserModules, async (_e, text) => saveModules(userModulesPath(), check.string(text, 'text')));
  handle(CHANNELS.saveModelModules, async (_e, modelPath, text) => {
    const p = companionPath(grants.check(modelPath));
    const t = check.string(text, 'text');
    grants.grant(p);
    return saveModules(p, t);
  });
  handle(CHANNELS.saveFiles, async (e, folder, files): Promise<SaveFilesResult> => {
    const name = check.fileName(folder, 'folder');
    const list = check.files(files, 'files');
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = await dialog.showOpenDialog(win!, {
      title: 'Save Files Into Folder',
      buttonLabel: 'Save Here',
      defaultPath: join(documentsFolder(), name),
      properties: ['openDirectory', 'createDirectory'],
    });
    if (r.canceled || !r.filePaths[0]) return { ok: false, reason: 'cancelled' };
    try {
      await writeFilesInto(r.filePaths[0], list);
      return { ok: true, folder: r.filePaths[0] };
    } catch (err) {
      return { ok: false, reason: 'error', message: (err as Error).message };
    }
  });
  handle(CHANNELS.recentFiles, async () =>
    recent.map((p, i) => ({ name: basename(p), path: p, openedAt: Date.now() - i })),
  );
  handle(CHANNELS.autosave, async (_e, entry) => {
    const en = entry as AutosaveEntry;
    if (typeof en !== 'object' || en === null) throw new IpcError('autosave entry must be an object');
    const mods = en.modules as { name?: unknown; text?: unknown } | undefined;
    if (mods !== undefined && (typeof mods !== 'object' || mods === null))
      throw new IpcError('autosave modules must be an object');
    await autosave.write({
      id: check.id(en.id, 'id'),
      path: en.path === null ? null : check.string(en.path, 'path', 4096),
      title: check.string(en.title, 'title', 256),
      text: check.string(en.text, 'text'),
      savedAt: Date.now(),
      ...(mods
        ? {
            modules: {
              name: check.string(mods.name, 'modules.name', 256),
              text: check.string(mods.text, 'modules.text'),
            },
          }
        : {}),
    });
  });
  handle(CHANNELS.discardAutosave, async (_e, id) => autosave.discard(check.id(id, 'id')));
  handle(CHANNELS.recoverable, async () => {
    const list = await autosave.list();
    for (const en of list) if (en.path) grants.grant(en.path);
    return list;
  });
  ipcMain.on(CHANNELS.setDirty, (e, v) => {
    const win = trusted(e);
    if (win) dirty.set(win, check.boolean(v, 'dirty'));
  });
  ipcMain.on(CHANNELS.openExternal, (e, url) => {
    trusted(e);
    openExternalLink(check.string(url, 'url', 2048), shell);
  });
  ipcMain.on(CHANNELS.setTemplates, (e, list) => {
    trusted(e);
    if (!Array.isArray(list)) return;
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
    if (i.accelerator) o.accelerator = i.accelerator;
    if (i.enabled === false) o.enabled = false;
    if (i.submenu) o.submenu = toElectron(i.submenu);
    const a = i.action;
    if (a) {
      o.click = async (_m, w) => {
        const win = (w as BrowserWindow | undefined) ?? BrowserWindow.getFocusedWindow();
        if (!win) return;
        if ('command' in a) win.webContents.send(CHANNELS.menu, a.command);
        else if ('newFromTemplate' in a) win.webContents.send(CHANNELS.menu, { newFromTemplate: a.newFromTemplate });
        else if ('openRecent' in a) {
          const f = await openPath(a.openRecent, win);
          if (f) win.webContents.send(CHANNELS.openFile, f);
        } else if ('clearRecent' in a) {
          recent = [];
          void writeAtomic(recentPath, '[]');
          buildMenu();
        }
      };
    }
    return o;
  });
}

function buildMenu() {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      toElectron(menuTemplate({ platform: process.platform, appName: app.getName(), recent, templates })),
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
  win.on('close', (e) => {
    if (!dirty.get(win)) return;
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Cancel', 'Close Without Saving'],
      defaultId: 0,
      cancelId: 0,
      message: 'You have unsaved changes.',
      detail: 'They are kept in the recovery folder and offered back at the next start.',
    });
    if (choice === 0) e.preventDefault();
  });
  if (DEV_URL) void win.loadURL(DEV_URL);
  else void win.loadFile(join(__dirname, `../renderer/${RENDERER_NAME}/index.html`));
  win.webContents.once('did-finish-load', () => {
    for (const p of pendingOpen.splice(0))
      void openPath(p, win).then((f) => f && win.webContents.send(CHANNELS.openFile, f));
  });
  return win;
}

function yamlArgs(argv: string[]): string[] {
  return argv.slice(1).filter((a) => /\.(ya?ml|pt)$/i.test(a) && existsSync(a));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
    for (const p of yamlArgs(argv)) void openPath(p, win).then((f) => f && win.webContents.send(CHANNELS.openFile, f));
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    const win = BrowserWindow.getAllWindows()[0];
    if (win) void openPath(path, win).then((f) => f && win.webContents.send(CHANNELS.openFile, f));
    else pendingOpen.push(path);
  });
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
  app.whenReady().then(() => {
    autosave = new AutosaveStore(join(app.getPath('userData'), 'autosave'));
    recentPath = join(app.getPath('userData'), 'recent.json');
    loadRecent();
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
    );
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
