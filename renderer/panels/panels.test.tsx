// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { StatusBar } from './StatusBar.tsx';
import { ProblemsPanel } from './Problems.tsx';
import { Palette, paletteModules } from './Palette.tsx';
import { Inspector } from './Inspector.tsx';
import { changeModule } from '../../src/core/edit/index.ts';

const open = (id: string, edit?: (t: string) => string) => {
  const t = templateById(id)!;
  act(() =>
    editorStore.getState().openDocument({ name: t.file, text: edit ? edit(t.text) : t.text }, { imgsz: t.imgsz }),
  );
};

beforeEach(() => {
  act(() => useLang.getState().setLang('en'));
});
afterEach(cleanup);

describe('status bar', () => {
  it('shows rows, modules, parameters with separators, GFLOPs, strides and the change since save', () => {
    open('yolov5s');
    render(<StatusBar />);
    expect(screen.getByLabelText('parameters').textContent).toBe('7,235,389');
    expect(screen.getByLabelText('rows').textContent).toMatch(/^25/);
    expect(screen.getByLabelText('modules').textContent).toMatch(/^214/);
    expect(screen.getByLabelText('GFLOPs').textContent).toMatch(/16\.[45]/);
    expect(screen.getByLabelText('strides').textContent).toMatch(/8, 16, 32/);
    expect(screen.getByLabelText('since save').textContent).toBe('saved');
    act(() => void editorStore.getState().perform(changeModule(2, 'C3_Res2Block'), 'inspector'));
    expect(screen.getByLabelText('parameters').textContent).toBe('7,233,158');
    expect(screen.getByLabelText('since save').textContent).toMatch(/unsaved · −2,231 parameters since save/);
  });
});

describe('problems panel', () => {
  it('lists diagnostics and a click selects the layer and reveals its line', () => {
    open('yolov5s', (t) => t.replace('[-1, 3, C3, [128]]', '[-1, 3, C3x9, [128]]'));
    render(<ProblemsPanel />);
    const pane = screen.getByRole('region', { name: 'Problems' });
    const items = within(pane).getAllByRole('button');
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].textContent).toMatch(/C3x9/);
    expect(items[0].textContent).toMatch(/layer 2/);
    const seq = editorStore.getState().reveal.seq;
    fireEvent.click(items[0]);
    expect(editorStore.getState().selected).toBe(2);
    expect(editorStore.getState().reveal.seq).toBe(seq + 1);
    expect(editorStore.getState().reveal.offset).toBeGreaterThan(0);
  });

  it('says so when there are none', () => {
    open('yolov5n');
    render(<ProblemsPanel />);
    expect(screen.getByText('No problems')).toBeTruthy();
  });
});

describe('palette', () => {
  it('lists every public module with its description, searchable', () => {
    const all = paletteModules('');
    expect(all.some((d) => d.internal)).toBe(false);
    expect(all.map((d) => d.name)).toEqual(
      expect.arrayContaining(['Conv', 'C3', 'C3_Res2Block', 'SPPF', 'Concat', 'Detect', 'nn.Upsample']),
    );
    render(<Palette />);
    const search = screen.getByLabelText('Search modules');
    fireEvent.change(search, { target: { value: 'res2' } });
    const names = screen.getAllByRole('listitem').map((li) => li.getAttribute('aria-label'));
    expect(names).toEqual(expect.arrayContaining(['C3_Res2Block', 'Bottle2neck']));
    expect(names).not.toContain('Conv');
  });

  it('finds built-in modules by their Chinese description or category', () => {
    const names = (q: string) => paletteModules(q).map((d) => d.name);
    expect(names('瓶颈')).toEqual(expect.arrayContaining(['C3', 'BottleneckCSP', 'GhostBottleneck']));
    expect(names('瓶颈')).not.toContain('Conv');
    expect(names('空间金字塔')).toEqual(expect.arrayContaining(['SPP', 'SPPF']));
    expect(names('池化')).toEqual(expect.arrayContaining(['SPPF', 'nn.MaxPool2d']));
  });

  it('inserts a module after the selected layer on Enter', () => {
    open('yolov5s');
    act(() => editorStore.getState().select(2, 'canvas'));
    render(<Palette />);
    fireEvent.keyDown(screen.getByLabelText('Conv'), { key: 'Enter' });
    const s = editorStore.getState();
    expect(s.analysis.layers).toHaveLength(26);
    expect(s.analysis.layers[3].module).toBe('Conv');
    expect(s.selected).toBe(3);
    expect(s.analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('inspector', () => {
  it('edits the module of the selected layer through a command (one undo step)', () => {
    open('yolov5s');
    act(() => editorStore.getState().select(2, 'canvas'));
    render(<Inspector />);
    const pane = screen.getByRole('region', { name: 'Inspector' });
    expect(within(pane).getByRole('heading', { name: 'layer 2 C3' })).toBeTruthy();
    const module = within(pane).getByLabelText('module') as HTMLInputElement;
    fireEvent.change(module, { target: { value: 'C3_Res2Block' } });
    fireEvent.keyDown(module, { key: 'Enter' });
    expect(editorStore.getState().analysis.params).toBe(7_233_158);
    expect(within(pane).getByRole('heading', { name: 'layer 2 C3_Res2Block' })).toBeTruthy();
    // an argument: c2 128 -> 256
    const c2 = within(pane).getByLabelText('c2') as HTMLInputElement;
    expect(c2.value).toBe('128');
    fireEvent.change(c2, { target: { value: '256' } });
    fireEvent.blur(c2);
    expect(editorStore.getState().text).toContain('[-1, 3, C3_Res2Block, [256]], # 2');
    act(() => editorStore.getState().undo());
    act(() => editorStore.getState().undo());
    expect(editorStore.getState().text).toBe(templateById('yolov5s')!.text);
  });

  it('shows the model settings with a scale switch when nothing is selected', () => {
    open('yolov5s');
    render(<Inspector />);
    const scale = screen.getByRole('group', { name: 'scale' });
    expect(within(scale).getByRole('button', { name: 's' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(scale).getByRole('button', { name: 'n' }));
    // the reference yolov5n (shared/reference/summaries/yolov5n.json)
    expect(editorStore.getState().analysis.params).toBe(1_872_157);
  });
});

describe('language', () => {
  it('speaks Chinese when switched', () => {
    open('yolov5n');
    render(<ProblemsPanel />);
    expect(screen.getByRole('region', { name: 'Problems' })).toBeTruthy();
    act(() => useLang.getState().setLang('zh'));
    expect(screen.getByRole('region', { name: '问题' })).toBeTruthy();
    expect(screen.getByText('没有问题')).toBeTruthy();
  });
});
