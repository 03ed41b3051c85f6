// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { isShown, PANELS, useView, VIEW_KEY } from './view-store.ts';
import { commandForKey, isTyping, keyText, matches, SHORTCUTS } from './shortcuts.ts';
import { PANEL_COMMAND } from './panel-commands.ts';
import { defaultSizes } from './Workspace.tsx';
import { menuTemplate, type MenuItem } from '../../electron/services/menu.ts';
import { runMenuCommand } from '../commands.ts';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';

const key = (k: string, o: Partial<KeyboardEvent> = {}) =>
  ({ key: k, code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o }) as KeyboardEvent;

beforeEach(() => {
  localStorage.clear();
  useView.setState({ open: { palette: true, yaml: true, inspector: true, problems: true, run: true }, focus: false });
});

describe('panels: open, closed and focus mode', () => {
  it('a toggle closes and opens one panel and is kept per user', () => {
    useView.getState().toggle('yaml');
    expect(isShown(useView.getState(), 'yaml')).toBe(false);
    expect(JSON.parse(localStorage.getItem(VIEW_KEY)!).state.open.yaml).toBe(false);
    useView.getState().toggle('yaml');
    expect(isShown(useView.getState(), 'yaml')).toBe(true);
  });

  it('focus mode hides every panel and gives back the same ones; a panel asked for ends it', () => {
    useView.getState().toggle('problems');
    useView.getState().toggleFocus();
    expect(PANELS.some((p) => isShown(useView.getState(), p))).toBe(false);
    useView.getState().toggleFocus();
    expect(PANELS.filter((p) => isShown(useView.getState(), p))).toEqual(['palette', 'yaml', 'inspector', 'run']);
    useView.getState().toggleFocus();
    useView.getState().toggle('inspector');
    const s = useView.getState();
    expect(s.focus).toBe(false);
    expect(isShown(s, 'inspector')).toBe(true);
  });

  it('with every panel closed, focus mode brings them all back instead of changing nothing', () => {
    for (const p of PANELS) useView.getState().toggle(p);
    useView.getState().toggleFocus();
    expect(PANELS.every((p) => isShown(useView.getState(), p))).toBe(true);
  });

  it('panels dragged shut close in the store; a drag while in focus mode that opens nothing keeps it', () => {
    useView.getState().setShown({ palette: false, yaml: true, inspector: true, problems: false, run: true });
    expect(useView.getState().open.palette).toBe(false);
    useView.getState().toggleFocus();
    useView.getState().setShown({ palette: false, yaml: false, inspector: false, problems: false, run: false });
    expect(useView.getState().focus).toBe(true);
  });

  it('a stored view from elsewhere sets only what it names correctly', async () => {
    localStorage.setItem(
      VIEW_KEY,
      JSON.stringify({ state: { open: { yaml: false, palette: 'no', evil: true }, minimap: 3 }, version: 1 }),
    );
    await useView.persist.rehydrate();
    const s = useView.getState();
    expect(s.open).toEqual({ palette: true, yaml: false, inspector: true, problems: true, run: true });
    expect(s.minimap).toBe(true);
  });

  it('the menu commands toggle the panels, focus mode, the minimap and the sheet', () => {
    const t = templateById('yolov5n')!;
    editorStore.getState().openDocument({ name: t.file, text: t.text });
    for (const p of PANELS) {
      runMenuCommand(PANEL_COMMAND[p]);
      expect(useView.getState().open[p]).toBe(false);
    }
    runMenuCommand('focusCanvas');
    expect(useView.getState().open).toEqual({ palette: true, yaml: true, inspector: true, problems: true, run: true });
    const mm = useView.getState().minimap;
    runMenuCommand('toggleMinimap');
    expect(useView.getState().minimap).toBe(!mm);
    runMenuCommand('shortcuts');
    expect(useView.getState().sheet).toBe(true);
  });
});

describe('keyboard shortcuts: one list', () => {
  it('digits toggle the panels on any layout (by key or by code), not while typing', () => {
    expect(commandForKey(key('1'), false, false)).toBe('togglePalette');
    expect(commandForKey(key('&', { code: 'Digit1' }), false, false)).toBe('togglePalette');
    expect(commandForKey(key('5'), false, false)).toBe('toggleRun');
    expect(commandForKey(key('0'), false, false)).toBe('focusCanvas');
    expect(commandForKey(key('m', { code: 'KeyM' }), false, false)).toBe('toggleMinimap');
    expect(commandForKey(key('?', { shiftKey: true }), false, false)).toBe('shortcuts');
    expect(commandForKey(key('1'), true, false)).toBeNull();
    expect(commandForKey(key('1', { ctrlKey: true }), false, false)).toBeNull();
  });

  it('chords work while typing, with Cmd on macOS and Ctrl elsewhere', () => {
    expect(commandForKey(key('s', { ctrlKey: true }), true, false)).toBe('save');
    expect(commandForKey(key('S', { ctrlKey: true, shiftKey: true }), true, false)).toBe('saveAs');
    expect(commandForKey(key('z', { metaKey: true }), false, true)).toBe('undo');
    expect(commandForKey(key('z', { ctrlKey: true }), false, true)).toBeNull();
    expect(commandForKey(key('y', { ctrlKey: true }), false, false)).toBe('redo');
    expect(matches('Mod+Shift+Z', key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe(true);
    expect(keyText('Mod+Shift+S', false)).toBe('Ctrl+Shift+S');
    expect(keyText('Mod+Shift+S', true)).toBe('⌘⇧S');
  });

  it('no key combination means two things, and every panel has its key', () => {
    const all = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(all).size).toBe(all.length);
    for (const p of PANELS) expect(SHORTCUTS.some((s) => s.command === PANEL_COMMAND[p])).toBe(true);
  });

  it('the desktop View menu shows the same keys without taking them from text fields', () => {
    const items = (m: MenuItem[]): MenuItem[] => m.flatMap((i) => [i, ...items(i.submenu ?? [])]);
    const menu = items(menuTemplate({ platform: 'linux', appName: 'YOLO Architect', recent: [], templates: [] }));
    for (const s of SHORTCUTS.filter((x) => x.group === 'view')) {
      const item = menu.find((i) => i.action && 'command' in i.action && i.action.command === s.command);
      expect(item, s.command).toBeDefined();
      expect(item!.accelerator).toBe(s.keys[0].replace('Mod+', 'CmdOrCtrl+'));
      expect(item!.registerAccelerator).toBe(false);
    }
  });

  it('a text field, a select and the YAML editor take text', () => {
    const input = document.createElement('input');
    const cm = document.createElement('div');
    cm.className = 'cm-editor';
    const line = document.createElement('div');
    cm.appendChild(line);
    const div = document.createElement('div');
    expect(isTyping(input)).toBe(true);
    expect(isTyping(line)).toBe(true);
    expect(isTyping(div)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('first-run panel sizes', () => {
  it('leave the canvas half of a 1600x1000 window and stay usable at 1280x720', () => {
    const big = defaultSizes(1600, 1000);
    const canvas = (1600 - big.palette - big.side) * (1000 - 62 - big.bottom);
    expect(canvas / (1600 * 1000)).toBeGreaterThanOrEqual(0.5);
    const small = defaultSizes(1280, 720);
    expect(small.side).toBeGreaterThanOrEqual(300);
    expect(small.palette).toBeGreaterThanOrEqual(170);
  });
});
