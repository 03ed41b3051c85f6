/** IPC channel names of the preload API; the API's types are the desktop contract (src/desktop/contract.ts). */
export type {
  AutosaveEntry,
  CloseAnswer,
  DesktopApi,
  DesktopFile,
  MenuCommand,
  SaveResult,
} from '../src/desktop/contract.ts';

export const CHANNELS = {
  open: 'ya:open',
  openRecent: 'ya:open-recent',
  save: 'ya:save',
  saveAs: 'ya:save-as',
  recentFiles: 'ya:recent-files',
  setDirty: 'ya:set-dirty',
  autosave: 'ya:autosave',
  discardAutosave: 'ya:discard-autosave',
  recoverable: 'ya:recoverable',
  restoreAutosave: 'ya:restore-autosave',
  closeRequest: 'ya:close-request',
  answerClose: 'ya:answer-close',
  openExternal: 'ya:open-external',
  setTemplates: 'ya:set-templates',
  loadUserModules: 'ya:load-user-modules',
  saveUserModules: 'ya:save-user-modules',
  saveModelModules: 'ya:save-model-modules',
  pickExportFolder: 'ya:pick-export-folder',
  writeExportFiles: 'ya:write-export-files',
  menu: 'ya:menu',
  openFile: 'ya:open-file',
  fileChanged: 'ya:file-changed',
} as const;
