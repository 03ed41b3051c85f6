// A stand-in for Electron's main process behind the preload API (window.yoloArchitect), for the desktop flows
// in e2e/unsaved.e2e.ts: no Electron binary can run here. Every call is recorded in window.__main; tests
// send what main would send (menu commands, files to open, close requests) with __main.emit(kind, value).
(() => {
  const listeners = { menu: [], openFile: [], fileChanged: [], close: [] };
  const state = {
    calls: [],
    autosave: {},
    answers: [],
    dirty: [],
    files: {},
    /** The folder an export writes into: file name -> text (null: a link, binary or folder there). */
    folder: {},
    emit(kind, v) {
      for (const l of listeners[kind]) l(v);
    },
  };
  const sub = (kind) => (l) => {
    listeners[kind].push(l);
    return () => void (listeners[kind] = listeners[kind].filter((x) => x !== l));
  };
  const base = (p) => p.split('/').pop();
  window.__main = state;
  window.yoloArchitect = {
    open: async () => null,
    openRecent: async (p) => state.files[p] ?? null,
    save: async (p, text) => {
      state.calls.push(['save', p, text]);
      return { ok: true, name: base(p), path: p };
    },
    saveAs: async (name, text) => {
      state.calls.push(['saveAs', name, text]);
      return { ok: true, name, path: `/home/u/models/${name}` };
    },
    recentFiles: async () => [],
    setDirty: (d) => state.dirty.push(d),
    autosave: async (e) => void (state.autosave[e.id] = e),
    discardAutosave: async (id) => void delete state.autosave[id],
    recoverable: async () => Object.values(state.autosave),
    restoreAutosave: async (oldId, e) => {
      state.calls.push(['restoreAutosave', oldId, e.id]);
      state.autosave[e.id] = e;
      delete state.autosave[oldId];
      return { path: e.path };
    },
    onMenu: sub('menu'),
    onOpenFile: sub('openFile'),
    onFileChanged: sub('fileChanged'),
    onCloseRequest: sub('close'),
    answerClose: (a) => state.answers.push(a),
    openExternal: () => {},
    setTemplates: () => {},
    loadUserModules: async () => ({ text: '', path: '/home/u/.config/yolo-architect/modules.yaml' }),
    saveUserModules: async () => ({ ok: true, name: 'modules.yaml', path: '/home/u/.config/modules.yaml' }),
    saveModelModules: async () => ({ ok: true, name: 'x.modules.yaml', path: '/home/u/models/x.modules.yaml' }),
    pickExportFolder: async (folder, names) => {
      state.calls.push(['pickExportFolder', folder, names]);
      const existing = names.filter((n) => n in state.folder).map((n) => ({ path: n, text: state.folder[n] }));
      return { folder: '/home/u/exports', existing };
    },
    writeExportFiles: async (folder, files) => {
      state.calls.push(['writeExportFiles', folder, files.map((f) => f.path)]);
      for (const f of files) state.folder[f.path] = f.text;
      return { ok: true };
    },
    /** Main's image dialog: the image a test put in `state.image` ({name, bytes: number[]}), else cancelled. */
    pickImage: async () => {
      state.calls.push(['pickImage']);
      const f = state.image;
      return f ? { name: f.name, bytes: new Uint8Array(f.bytes) } : null;
    },
  };
})();
