/** The app's one autosave controller and recovery store, started at launch. */
import { editorStore } from '../store/editor.ts';
import { libraryStore } from '../modules/library.ts';
import { AutosaveController, defaultRecoveryStore } from './autosave.ts';

export const recoveryStore = defaultRecoveryStore();
export const autosave = new AutosaveController(editorStore, recoveryStore, undefined, undefined, () => {
  const m = libraryStore.getState().model;
  return m && m.text.trim() ? { name: m.file, text: m.text } : null;
});
export { RecoveryBanner } from './RecoveryBanner.tsx';
