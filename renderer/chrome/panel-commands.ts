/** Each panel's toggle command (the menu's, the keyboard's and the toolbar's). */
import type { MenuCommand } from '../host/index.ts';
import type { PanelId } from './view-store.ts';

export const PANEL_COMMAND: Record<PanelId, MenuCommand> = {
  palette: 'togglePalette',
  yaml: 'toggleYaml',
  inspector: 'toggleInspector',
  problems: 'toggleProblems',
  run: 'toggleRun',
};
