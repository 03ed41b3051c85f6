/** The preload: exposes DesktopApi as window.yoloArchitect and nothing else (contextIsolation, sandbox). */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type DesktopApi } from './api.ts';

function listen<T>(channel: string, listener: (v: T) => void): () => void {
  const h = (_e: IpcRendererEvent, v: T) => listener(v);
  ipcRenderer.on(channel, h);
  return () => ipcRenderer.removeListener(channel, h);
}

const api: DesktopApi = {
  open: () => ipcRenderer.invoke(CHANNELS.open),
  openRecent: (path) => ipcRenderer.invoke(CHANNELS.openRecent, path),
  save: (path, text, force) => ipcRenderer.invoke(CHANNELS.save, path, text, !!force),
  saveAs: (name, text) => ipcRenderer.invoke(CHANNELS.saveAs, name, text),
  recentFiles: () => ipcRenderer.invoke(CHANNELS.recentFiles),
  setDirty: (dirty) => ipcRenderer.send(CHANNELS.setDirty, !!dirty),
  autosave: (entry) => ipcRenderer.invoke(CHANNELS.autosave, entry),
  discardAutosave: (id) => ipcRenderer.invoke(CHANNELS.discardAutosave, id),
  recoverable: () => ipcRenderer.invoke(CHANNELS.recoverable),
  restoreAutosave: (oldId, entry) => ipcRenderer.invoke(CHANNELS.restoreAutosave, oldId, entry),
  onCloseRequest: (l) => listen(CHANNELS.closeRequest, () => l()),
  answerClose: (answer) => ipcRenderer.send(CHANNELS.answerClose, answer),
  onMenu: (l) => listen(CHANNELS.menu, l),
  onOpenFile: (l) => listen(CHANNELS.openFile, l),
  onFileChanged: (l) => listen(CHANNELS.fileChanged, l),
  openExternal: (url) => ipcRenderer.send(CHANNELS.openExternal, url),
  setTemplates: (templates) => ipcRenderer.send(CHANNELS.setTemplates, templates),
  loadUserModules: () => ipcRenderer.invoke(CHANNELS.loadUserModules),
  saveUserModules: (text) => ipcRenderer.invoke(CHANNELS.saveUserModules, text),
  saveModelModules: (modelPath, text) => ipcRenderer.invoke(CHANNELS.saveModelModules, modelPath, text),
  pickExportFolder: (folder, names) => ipcRenderer.invoke(CHANNELS.pickExportFolder, folder, names),
  writeExportFiles: (folder, files) => ipcRenderer.invoke(CHANNELS.writeExportFiles, folder, files),
  pickImage: () => ipcRenderer.invoke(CHANNELS.pickImage),
};

contextBridge.exposeInMainWorld('yoloArchitect', api);
