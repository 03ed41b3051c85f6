/**
 * The application menu as data: File, Edit, View, Run, Help with the usual accelerators. Items that act on
 * the document send a menu command to the renderer; built by a pure function so it is unit-tested without
 * Electron. (The object shape is Electron's MenuItemConstructorOptions.)
 */
import { COMMAND_KEYS, SHOWN_ELSEWHERE, type MenuCommand } from '../../src/desktop/contract.ts';
import type { CompositingChoice } from './compositing.ts';

export type { MenuCommand };

export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu' | 'normal' | 'radio';
  /** A radio item's state. */
  checked?: boolean;
  accelerator?: string;
  /** false: the key is shown but not taken by the menu (single keys, which the renderer takes only when not typing). */
  registerAccelerator?: boolean;
  submenu?: MenuItem[];
  enabled?: boolean;
  /** What the item does: a renderer command, opening a recent file or a template. */
  action?:
    | { command: MenuCommand }
    | { openRecent: string }
    | { newFromTemplate: string }
    | { clearRecent: true }
    | { compositing: CompositingChoice };
}

export interface MenuInput {
  platform: NodeJS.Platform;
  appName: string;
  recent: string[];
  templates: { id: string; label: string }[];
  /** View > Window Compositing: the remembered choice, the software GPU seen, what this launch uses. */
  compositing?: { choice: CompositingChoice; found?: string; software: boolean };
}

/** View > Window Compositing: the choice (applied at the next start) and what this launch does. */
function compositingMenu(c: NonNullable<MenuInput['compositing']>): MenuItem {
  const radio = (label: string, choice: CompositingChoice): MenuItem => ({
    label,
    type: 'radio',
    checked: c.choice === choice,
    action: { compositing: choice },
  });
  return {
    label: 'Window Compositing',
    submenu: [
      radio(c.found ? `Automatic (software: ${c.found} found)` : 'Automatic (software on a software GPU)', 'auto'),
      radio('GPU', 'gpu'),
      radio('Software', 'software'),
      sep,
      { label: `This window: ${c.software ? 'software' : 'GPU'}; a change applies at the next start`, enabled: false },
    ],
  };
}

/**
 * A command's key (the desktop contract's COMMAND_KEYS: the first, or SHOWN_ELSEWHERE's off macOS) as Electron
 * writes it, `Mod` as CmdOrCtrl. Shown, not registered: the page's one key map
 * (renderer/chrome/shortcuts.ts) takes every key, as in a browser, so a key typed into a field stays the field's
 * (Ctrl+A, Delete) and nothing runs twice. (macOS registers menu keys regardless; they reach the same handlers.)
 */
export function acceleratorOf(
  command: MenuCommand,
  mac: boolean,
): Pick<MenuItem, 'accelerator' | 'registerAccelerator'> {
  const keys = COMMAND_KEYS[command];
  if (!keys?.length) return {};
  const key = (!mac && SHOWN_ELSEWHERE[command]) || keys[0];
  return { accelerator: key.replace('Mod+', 'CmdOrCtrl+'), registerAccelerator: false };
}

const sep: MenuItem = { type: 'separator' };

export function menuTemplate(input: MenuInput): MenuItem[] {
  const mac = input.platform === 'darwin';
  const cmd = (label: string, command: MenuCommand): MenuItem => ({
    label,
    action: { command },
    ...acceleratorOf(command, mac),
  });
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  const file: MenuItem = {
    label: 'File',
    submenu: [
      {
        label: 'New from Template',
        submenu: input.templates.map((t) => ({ label: t.label, action: { newFromTemplate: t.id } })),
      },
      cmd('New', 'new'),
      cmd('Open...', 'open'),
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
      cmd('Save', 'save'),
      cmd('Save As...', 'saveAs'),
      cmd('Export for YOLOv5...', 'exportYolov5'),
      sep,
      cmd('Compare with Saved Version', 'compareSaved'),
      cmd('New Module...', 'newModule'),
      sep,
      cmd('Close', 'close'),
      ...(mac ? [] : [sep, { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' }]),
    ],
  };
  const edit: MenuItem = {
    label: 'Edit',
    submenu: [
      cmd('Undo', 'undo'),
      cmd('Redo', 'redo'),
      sep,
      { role: 'cut', label: 'Cut', accelerator: 'CmdOrCtrl+X' },
      { role: 'copy', label: 'Copy', accelerator: 'CmdOrCtrl+C' },
      { role: 'paste', label: 'Paste', accelerator: 'CmdOrCtrl+V' },
      cmd('Delete', 'delete'),
      cmd('Select All', 'selectAll'),
      sep,
      cmd('Find Layer...', 'find'),
    ],
  };
  const view: MenuItem = {
    label: 'View',
    submenu: [
      cmd('Fit', 'fitView'),
      cmd('Zoom In', 'zoomIn'),
      cmd('Zoom Out', 'zoomOut'),
      sep,
      cmd('Palette', 'togglePalette'),
      cmd('YAML Pane', 'toggleYaml'),
      cmd('Inspector', 'toggleInspector'),
      cmd('Problems', 'toggleProblems'),
      cmd('Run Panel', 'toggleRun'),
      cmd('Focus Canvas', 'focusCanvas'),
      cmd('Minimap', 'toggleMinimap'),
      sep,
      ...(input.compositing ? [compositingMenu(input.compositing)] : []),
      { role: 'togglefullscreen', label: 'Full Screen' },
    ],
  };
  const run: MenuItem = {
    label: 'Run',
    submenu: [cmd('Run', 'run'), cmd('Choose Image...', 'chooseImage')],
  };
  const help: MenuItem = {
    role: 'help',
    label: 'Help',
    submenu: [cmd('Keyboard Shortcuts', 'shortcuts'), cmd(`About ${input.appName}`, 'about')],
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
