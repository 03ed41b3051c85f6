// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from '@testing-library/react';
import { menuTemplate, acceleratorOf, type MenuItem } from '../electron/services/menu.ts';
import { COMMAND_KEYS, MENU_COMMANDS, type DesktopApi, type MenuCommand } from '../src/desktop/contract.ts';
import { ElectronHost } from './host/electron.ts';
import { COMMAND_HANDLERS, onShortcutKey, runMenuCommand } from './commands.ts';
import { provideCommands, resetCommandTargets } from './chrome/command-targets.ts';
import { commandForKey, SHORTCUTS } from './chrome/shortcuts.ts';
import { isShown, useView } from './chrome/view-store.ts';
import { editorStore, shownAnalysis } from './store/editor.ts';
import { templateById } from './templates.ts';

const items = (m: MenuItem[]): MenuItem[] => m.flatMap((i) => [i, ...items(i.submenu ?? [])]);
const commandsOf = (platform: NodeJS.Platform) =>
  items(menuTemplate({ platform, appName: 'YOLO Architect', recent: ['/a/b.yaml'], templates: [] }))
    .map((i) => (i.action && 'command' in i.action ? i.action.command : null))
    .filter((c): c is MenuCommand => c !== null);

/** The preload API with only the menu channel: main's sends reach the host's listeners. */
function fakeDesktop() {
  const listeners: ((c: unknown) => void)[] = [];
  const api = {
    onMenu: (l: (c: unknown) => void) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
  } as unknown as DesktopApi;
  return { api, send: (c: unknown) => listeners.forEach((l) => l(c)) };
}

const open = () => {
  const t = templateById('yolov5n')!;
  act(() => editorStore.getState().openDocument({ name: t.file, text: t.text }));
};

beforeEach(() => {
  localStorage.clear();
  resetCommandTargets();
  useView.setState({
    open: { palette: true, yaml: true, inspector: true, problems: true, run: true },
    focus: false,
    sheet: false,
    about: false,
    finding: false,
  });
  open();
});
afterEach(() => vi.restoreAllMocks());

describe('desktop menu commands: one list, every item reaches a handler', () => {
  it('every command the menu sends (Linux, Windows and macOS) is in the contract, passed on by the Electron host and handled', () => {
    const sent = new Set([...commandsOf('linux'), ...commandsOf('win32'), ...commandsOf('darwin')]);
    // the ones the desktop app used to drop are among them
    for (const c of ['close', 'delete', 'selectAll', 'zoomIn', 'zoomOut', 'toggleYaml', 'run', 'chooseImage', 'about'])
      expect(sent.has(c as MenuCommand), c).toBe(true);
    const desktop = fakeDesktop();
    const got: MenuCommand[] = [];
    new ElectronHost(desktop.api).onMenu((c) => got.push(c));
    for (const c of sent) {
      expect(MENU_COMMANDS).toContain(c);
      expect(typeof COMMAND_HANDLERS[c], c).toBe('function');
      desktop.send(c);
    }
    expect(got).toEqual([...sent]);
    desktop.send('format-disk');
    desktop.send({ newFromTemplate: 'yolov5s' });
    expect(got).toHaveLength(sent.size);
  });

  it('every command of the list has a handler, and the menu sends every command except the toolbar-only ones', () => {
    expect(Object.keys(COMMAND_HANDLERS).sort()).toEqual([...MENU_COMMANDS].sort());
    const sent = new Set(commandsOf('linux'));
    expect(MENU_COMMANDS.filter((c) => !sent.has(c))).toEqual(['relayout']);
  });

  it('the menu shows each command with the keys the page dispatches (one key map)', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const menu = items(menuTemplate({ platform, appName: 'YOLO Architect', recent: [], templates: [] }));
      for (const i of menu) {
        if (!i.action || !('command' in i.action)) continue;
        const c = i.action.command;
        expect(i.accelerator, c).toBe(acceleratorOf(c, platform === 'darwin').accelerator);
        if (i.accelerator) expect(i.registerAccelerator, c).toBe(false);
      }
    }
    for (const [c, keys] of Object.entries(COMMAND_KEYS) as [MenuCommand, string[]][]) {
      expect(SHORTCUTS.find((s) => s.command === c)?.keys, c).toEqual(keys);
      for (const k of keys) {
        const parts = k.split('+');
        const name = parts[parts.length - 1];
        const e = {
          key: name.length === 1 ? name.toLowerCase() : name,
          code: '',
          ctrlKey: parts.includes('Mod'),
          metaKey: false,
          shiftKey: parts.includes('Shift'),
          altKey: false,
        } as KeyboardEvent;
        expect(commandForKey(e, false, false), k).toBe(c);
      }
    }
  });
});

describe('what the commands the desktop app used to drop do', () => {
  it('Select All selects every layer; Delete deletes the selected layers (one undo step)', () => {
    const n = shownAnalysis(editorStore.getState()).layers.length;
    act(() => runMenuCommand('selectAll'));
    expect(editorStore.getState().multi).toHaveLength(n);
    act(() => editorStore.getState().setMulti([n - 2, n - 3]));
    act(() => runMenuCommand('delete'));
    expect(shownAnalysis(editorStore.getState()).layers).toHaveLength(n - 2);
    act(() => runMenuCommand('undo'));
    expect(shownAnalysis(editorStore.getState()).layers).toHaveLength(n);
  });

  it('in a text field, Select All and Delete act on the text, not on the layers', () => {
    const input = document.createElement('input');
    document.body.appendChild(input);
    input.focus();
    const exec = vi.fn(() => true);
    document.execCommand = exec;
    const n = shownAnalysis(editorStore.getState()).layers.length;
    act(() => editorStore.getState().setMulti([1, 2]));
    act(() => runMenuCommand('selectAll'));
    act(() => runMenuCommand('delete'));
    expect(exec.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['selectAll', 'delete']);
    expect(editorStore.getState().multi).toEqual([1, 2]);
    expect(shownAnalysis(editorStore.getState()).layers).toHaveLength(n);
    // and the key stays the field's: Ctrl+A typed there is not taken
    const ctrlA = new KeyboardEvent('keydown', {
      key: 'a',
      code: 'KeyA',
      ctrlKey: true,
      cancelable: true,
      bubbles: true,
    });
    input.addEventListener('keydown', (e) => onShortcutKey(e));
    input.dispatchEvent(ctrlA);
    expect(ctrlA.defaultPrevented).toBe(false);
    expect(editorStore.getState().multi).toEqual([1, 2]);
    input.remove();
    // outside text it selects the layers
    const onPage = new KeyboardEvent('keydown', { key: 'a', code: 'KeyA', ctrlKey: true, cancelable: true });
    act(() => onShortcutKey(onPage));
    expect(onPage.defaultPrevented).toBe(true);
    expect(editorStore.getState().multi).toHaveLength(n);
  });

  it('Fit, Zoom In and Zoom Out reach the canvas that is on screen', () => {
    const calls: string[] = [];
    const off = provideCommands({
      fitView: () => calls.push('fit'),
      zoomIn: () => calls.push('in'),
      zoomOut: () => calls.push('out'),
    });
    for (const c of ['fitView', 'zoomIn', 'zoomOut'] as const) act(() => runMenuCommand(c));
    off();
    act(() => runMenuCommand('zoomIn'));
    expect(calls).toEqual(['fit', 'in', 'out']);
  });

  it('Run and Choose Image open the run panel first and reach it once it is there (F5 too)', () => {
    act(() => useView.getState().toggle('run'));
    expect(isShown(useView.getState(), 'run')).toBe(false);
    const calls: string[] = [];
    act(() => onShortcutKey(new KeyboardEvent('keydown', { key: 'F5', cancelable: true })));
    expect(isShown(useView.getState(), 'run')).toBe(true);
    expect(calls).toEqual([]);
    // the panel mounts and provides its commands: the waiting Run is carried out, once
    const off = provideCommands({ run: () => calls.push('run'), chooseImage: () => calls.push('image') });
    act(() => runMenuCommand('chooseImage'));
    expect(calls).toEqual(['run', 'image']);
    off();
  });

  it('panels, Find and About', () => {
    act(() => runMenuCommand('toggleYaml'));
    expect(isShown(useView.getState(), 'yaml')).toBe(false);
    act(() => runMenuCommand('toggleProblems'));
    expect(isShown(useView.getState(), 'problems')).toBe(false);
    act(() => runMenuCommand('find'));
    expect(useView.getState().finding).toBe(true);
    act(() => runMenuCommand('about'));
    expect(useView.getState().about).toBe(true);
  });

  it('Close closes the model (nothing unsaved) and, on the start screen, the window', async () => {
    const close = vi.fn();
    vi.stubGlobal('close', close);
    await act(async () => {
      runMenuCommand('close');
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(editorStore.getState().screen).toBe('start');
    expect(close).not.toHaveBeenCalled();
    act(() => runMenuCommand('close'));
    expect(close).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });
});
