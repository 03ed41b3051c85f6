/**
 * Every keyboard shortcut of the window, once: the global key handler dispatches the ones with a command,
 * the shortcut sheet lists them all, the toolbar's tooltips and the desktop menu show the same keys.
 * Shortcuts handled where their gesture lives (the canvas, the YAML pane, the look-inside view) are listed
 * here with `where` for the sheet; their handlers live with the gesture.
 */
import type { MessageKey } from '../i18n.ts';
import { COMMAND_KEYS, type MenuCommand } from '../../src/desktop/contract.ts';

export type ShortcutGroup = 'file' | 'edit' | 'view' | 'run' | 'canvas';

export interface Shortcut {
  /** Key combinations, `Mod` for Ctrl (Cmd on macOS): `Mod+Shift+S`, `1`, `?`. The first is the one shown. */
  keys: readonly string[];
  label: MessageKey;
  group: ShortcutGroup;
  /** The command the global handler runs; absent when `where` handles the key itself. */
  command?: MenuCommand;
  where?: 'canvas' | 'yaml' | 'inside' | 'find';
}

/** A command's shortcut: its keys are the desktop contract's (COMMAND_KEYS), which the desktop menu shows too. */
const command = (c: MenuCommand, label: MessageKey, group: ShortcutGroup): Shortcut => ({
  keys: COMMAND_KEYS[c] ?? [],
  label,
  group,
  command: c,
});

export const SHORTCUTS: Shortcut[] = [
  command('new', 'new', 'file'),
  command('open', 'open', 'file'),
  command('save', 'save', 'file'),
  command('saveAs', 'saveAs', 'file'),
  command('exportYolov5', 'exportYolov5', 'file'),
  command('compareSaved', 'compareWithSaved', 'file'),
  command('newModule', 'newModule', 'file'),
  command('close', 'closeDocument', 'file'),
  command('undo', 'undo', 'edit'),
  command('redo', 'redo', 'edit'),
  command('selectAll', 'selectAllLayers', 'edit'),
  command('find', 'find', 'edit'),
  command('fitView', 'fitView', 'view'),
  command('zoomIn', 'zoomIn', 'view'),
  command('zoomOut', 'zoomOut', 'view'),
  command('togglePalette', 'palette', 'view'),
  command('toggleYaml', 'yaml', 'view'),
  command('toggleInspector', 'inspector', 'view'),
  command('toggleProblems', 'problems', 'view'),
  command('toggleRun', 'run', 'view'),
  command('focusCanvas', 'focusCanvas', 'view'),
  command('toggleMinimap', 'minimapTitle', 'view'),
  command('shortcuts', 'shortcuts', 'view'),
  command('run', 'runModel', 'run'),
  command('chooseImage', 'chooseImageFile', 'run'),
  { keys: ['Delete', 'Backspace'], label: 'deleteLayers', group: 'canvas', where: 'canvas' },
  { keys: ['Mod+C'], label: 'copyLayers', group: 'canvas', where: 'canvas' },
  { keys: ['Mod+X'], label: 'cutLayers', group: 'canvas', where: 'canvas' },
  { keys: ['Mod+V'], label: 'pasteLayers', group: 'canvas', where: 'canvas' },
  { keys: ['Mod+D'], label: 'duplicateLayer', group: 'canvas', where: 'canvas' },
  { keys: ['Shift+Click'], label: 'addToSelection', group: 'canvas', where: 'canvas' },
  { keys: ['Double-click'], label: 'lookInside', group: 'canvas', where: 'canvas' },
  { keys: ['Escape'], label: 'back', group: 'canvas', where: 'inside' },
];

export const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform ?? '');

/** A key combination as the user reads it: `Ctrl+Shift+S` (`⌘⇧S` on macOS). */
export function keyText(spec: string, mac = isMac()): string {
  const parts = spec.split('+');
  if (!mac) return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p === 'Escape' ? 'Esc' : p)).join('+');
  const sym: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥', Ctrl: '⌃', Escape: 'Esc' };
  return parts.map((p) => sym[p] ?? p).join('');
}

/** The first key of a command, for tooltips: `Save (Ctrl+S)`. */
export function shortcutOf(command: MenuCommand, mac = isMac()): string | undefined {
  const s = SHORTCUTS.find((x) => x.command === command);
  return s ? keyText(s.keys[0], mac) : undefined;
}

/** `label (keys)` for a tooltip. */
export const withKey = (label: string, command: MenuCommand) => {
  const k = shortcutOf(command);
  return k ? `${label} (${k})` : label;
};

/** The key a spec names, compared with KeyboardEvent.key / .code so digits work on any keyboard layout. */
function keyMatches(name: string, e: Pick<KeyboardEvent, 'key' | 'code'>): boolean {
  if (/^[0-9]$/.test(name)) return e.key === name || e.code === `Digit${name}` || e.code === `Numpad${name}`;
  if (/^[A-Z]$/.test(name)) return e.key.toUpperCase() === name || e.code === `Key${name}`;
  return e.key === name;
}

type KeyEventLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

export function matches(spec: string, e: KeyEventLike, mac = isMac()): boolean {
  const parts = spec.split('+');
  const name = parts[parts.length - 1];
  const want = new Set(parts.slice(0, -1));
  const mod = mac ? e.metaKey : e.ctrlKey;
  if (want.has('Mod') !== mod) return false;
  if (want.has('Alt') !== e.altKey) return false;
  if ((mac ? e.ctrlKey : e.metaKey) && !want.has('Ctrl')) return false;
  // '?' is typed with Shift on most layouts: a printable symbol ignores Shift
  const symbol = name.length === 1 && !/[0-9A-Z]/.test(name);
  if (!symbol && want.has('Shift') !== e.shiftKey) return false;
  return keyMatches(name, e);
}

/** The command a key press asks for, if any. Single keys (no Ctrl/Cmd) are not taken while typing. */
export function commandForKey(e: KeyEventLike, typing: boolean, mac = isMac()): MenuCommand | null {
  for (const s of SHORTCUTS) {
    if (!s.command) continue;
    for (const k of s.keys) {
      const chord = k.includes('Mod+') || /^F\d+$/.test(k);
      if (typing && !chord) continue;
      if (matches(k, e, mac)) return s.command;
    }
  }
  return null;
}

/** Focus is somewhere that takes text (a field, a select, the YAML editor): single-key shortcuts stand aside. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return (
    el.tagName === 'INPUT' ||
    el.tagName === 'SELECT' ||
    el.tagName === 'TEXTAREA' ||
    el.isContentEditable ||
    !!el.closest('.cm-editor, [contenteditable="true"]')
  );
}
