/** The app's one autosave controller and recovery store, started at launch. */
import { editorStore } from '../store/editor.ts';
import { AutosaveController, defaultRecoveryStore } from './autosave.ts';

export const recoveryStore = defaultRecoveryStore();
export const autosave = new AutosaveController(editorStore, recoveryStore);
export { RecoveryBanner } from './RecoveryBanner.tsx';
