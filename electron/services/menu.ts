/**
 * The application menu as data: File, Edit, View, Run, Help with the usual accelerators. Items that act on
 * the document send a menu command to the renderer; built by a pure function so it is unit-tested without
 * Electron. (The object shape is Electron's MenuItemConstructorOptions.)
 */
import type { DesktopMenuCommand } from '../../renderer/host/desktop-api.ts';
import { SHORTCUTS } from '../../renderer/chrome/shortcuts.ts';

export type MenuCommand = DesktopMenuCommand;

export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu' | 'normal';
  accelerator?: string;
  /** false: the key is shown but not taken by the menu (single keys, which the renderer takes only when not typing). */
  registerAccelerator?: boolean;
  submenu?: MenuItem[];
  enabled?: boolean;
  /** What the item does: a renderer command, opening a recent file or a template. */
  action?: { command: MenuCommand } | { openRecent: string } | { newFromTemplate: string } | { clearRecent: true };
}

export interface MenuInput {
  platform: NodeJS.Platform;
  appName: string;
  recent: string[];
  templates: { id: string; label: string }[];
}

const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItem => ({
  label,
  action: { command },
  ...(accelerator ? { accelerator } : {}),
});
const sep: MenuItem = { type: 'separator' };
/** A view command with the renderer's single-key shortcut (renderer/chrome/shortcuts.ts) shown beside it. */
const viewCmd = (label: string, command: MenuCommand): MenuItem => {
  const key = SHORTCUTS.find((s) => s.command === command)?.keys[0];
  return { label, action: { command }, ...(key ? { accelerator: key, registerAccelerator: false } : {}) };
};

export function menuTemplate(input: MenuInput): MenuItem[] {
  const mac = input.platform === 'darwin';
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  const file: MenuItem = {
    label: 'File',
    submenu: [
      {
        label: 'New from Template',
        submenu: input.templates.map((t) => ({ label: t.label, action: { newFromTemplate: t.id } })),
      },
      cmd('New', 'new', 'CmdOrCtrl+N'),
      cmd('Open...', 'open', 'CmdOrCtrl+O'),
      {
        label: 'Open Recent',
        submenu: input.recent.length
          ? [
              ...input.recent.map((p) => ({ label: base(p), action: { openRecent: p } }) as MenuItem),
              sep,
              { label: 'Clear Recent', action: { clearRecent: true } },
            ]
          : [{ label: 'No Recent Files', enabled: false }],
      },
      sep,
      cmd('Save', 'save', 'CmdOrCtrl+S'),
      cmd('Save As...', 'saveAs', 'CmdOrCtrl+Shift+S'),
      cmd('Export for YOLOv5...', 'exportYolov5', 'CmdOrCtrl+E'),
      sep,
      cmd('Compare with Saved Version', 'compareSaved', 'CmdOrCtrl+D'),
      cmd('New Module...', 'newModule', 'CmdOrCtrl+Shift+N'),
      sep,
      cmd('Close', 'close', 'CmdOrCtrl+W'),
      ...(mac ? [] : [sep, { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' }]),
    ],
  };
  const edit: MenuItem = {
    label: 'Edit',
    submenu: [
      cmd('Undo', 'undo', 'CmdOrCtrl+Z'),
      cmd('Redo', 'redo', mac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
      sep,
      { role: 'cut', label: 'Cut', accelerator: 'CmdOrCtrl+X' },
      { role: 'copy', label: 'Copy', accelerator: 'CmdOrCtrl+C' },
      { role: 'paste', label: 'Paste', accelerator: 'CmdOrCtrl+V' },
      cmd('Delete', 'delete'),
      cmd('Select All', 'selectAll', 'CmdOrCtrl+A'),
      sep,
      cmd('Find Layer...', 'find', 'CmdOrCtrl+F'),
    ],
  };
  const view: MenuItem = {
    label: 'View',
    submenu: [
      cmd('Fit', 'fitView', 'CmdOrCtrl+0'),
      cmd('Zoom In', 'zoomIn', 'CmdOrCtrl+='),
      cmd('Zoom Out', 'zoomOut', 'CmdOrCtrl+-'),
      sep,
      viewCmd('Palette', 'togglePalette'),
      viewCmd('YAML Pane', 'toggleYaml'),
      viewCmd('Inspector', 'toggleInspector'),
      viewCmd('Problems', 'toggleProblems'),
      viewCmd('Run Panel', 'toggleRun'),
      viewCmd('Focus Canvas', 'focusCanvas'),
      viewCmd('Minimap', 'toggleMinimap'),
      sep,
      { role: 'togglefullscreen', label: 'Full Screen' },
    ],
  };
  const run: MenuItem = {
    label: 'Run',
    submenu: [cmd('Run', 'run', 'F5'), cmd('Choose Image...', 'chooseImage', 'CmdOrCtrl+I')],
  };
  const help: MenuItem = {
    role: 'help',
    label: 'Help',
    submenu: [viewCmd('Keyboard Shortcuts', 'shortcuts'), cmd(`About ${input.appName}`, 'about')],
  };
  const appMenu: MenuItem[] = mac
    ? [
        {
          label: input.appName,
          submenu: [
            cmd(`About ${input.appName}`, 'about'),
            sep,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            sep,
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, run, help];
}

/** Every accelerator in a template (for tests and for conflicts). */
export function accelerators(items: MenuItem[]): string[] {
  return items.flatMap((i) => [
    ...(i.accelerator ? [i.accelerator] : []),
    ...(i.submenu ? accelerators(i.submenu) : []),
  ]);
}
