// @vitest-environment jsdom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { changeModule } from '../../src/core/index.ts';
import { editorStore } from '../store/editor.ts';
import { templateById } from '../templates.ts';
import { useLang } from '../i18n.ts';
import { compareModels, analyzeOther } from './compare-model.ts';
import { compareStore } from './compare-store.ts';
import { DiffTable } from './DiffTable.tsx';
import { CompareMenu } from './CompareMenu.tsx';
import { CompareView } from './CompareView.tsx';
import { stubResizeObserver } from '../testing/resize-observer.ts';

const text = (id: string) => templateById(id)!.text;
const open = (id: string) =>
  act(() => editorStore.getState().openDocument({ name: `${id}.yaml`, text: text(id) }, { imgsz: 640 }));
const cmp = () =>
  compareModels(
    analyzeOther(text('yolov5s'), 'a.yaml', { imgsz: 640 }),
    analyzeOther(text('yolov5s-res2net'), 'b.yaml', { imgsz: 640 }),
  );
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

beforeAll(() => {
  stubResizeObserver();
});
beforeEach(() => {
  act(() => useLang.getState().setLang('en'));
});
afterEach(() => {
  act(() => compareStore.getState().close());
  cleanup();
});

describe('the differences table', () => {
  it('has a row per aligned layer with both sides, the status and the differences, and the totals', () => {
    render(<DiffTable cmp={cmp()} changedOnly={false} selectedRow={null} scrollSeq={0} onPick={() => {}} />);
    const table = screen.getByRole('table', { name: 'Differences' });
    const rows = within(table).getAllByRole('row');
    // header, 25 layers, totals
    expect(rows).toHaveLength(27);
    expect(cells(rows[3])).toEqual([
      '2 C3',
      '2 C3_Res2Block',
      'changed',
      '18,816',
      '16,585',
      '\u22122,231',
      '\u22120.120',
      '64 x 160 x 160',
      'module: C3 → C3_Res2Block',
    ]);
    expect(cells(rows[1])).toEqual(['0 Conv', '0 Conv', 'same', '3,520', '3,520', '0', '0.000', '32 x 320 x 320', '']);
    expect(screen.getByLabelText('Total parameters A').textContent).toBe('7,235,389');
    expect(screen.getByLabelText('Total parameters B').textContent).toBe('6,721,334');
    expect(screen.getByLabelText('Total Δ parameters').textContent).toBe('\u2212514,055');
  });

  it('shows only changed rows when asked, and a click picks the row', () => {
    const onPick = vi.fn();
    const c = cmp();
    render(<DiffTable cmp={c} changedOnly selectedRow={null} scrollSeq={0} onPick={onPick} />);
    const body = within(screen.getByRole('table', { name: 'Differences' }))
      .getAllByRole('row')
      .slice(1, -1);
    expect(body.map((r) => cells(r)[1])).toEqual([
      '2 C3_Res2Block',
      '4 C3_Res2Block',
      '6 C3_Res2Block',
      '8 C3_Res2Block',
      '13 C3_Res2Block',
      '17 C3_Res2Block',
      '20 C3_Res2Block',
      '23 C3_Res2Block',
    ]);
    fireEvent.click(body[1]);
    expect(onPick).toHaveBeenCalledWith(4);
    fireEvent.keyDown(body[1], { key: 'ArrowDown' });
    expect(onPick).toHaveBeenLastCalledWith(6);
  });
});

describe('the compare menu', () => {
  it('compares with a template, or with the last saved version', () => {
    open('yolov5s');
    render(<CompareMenu disabled={false} />);
    fireEvent.click(screen.getByRole('button', { name: 'Compare…' }));
    const menu = screen.getByRole('menu', { name: 'Compare with' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'yolov5s-res2net' }));
    expect(compareStore.getState().other).toMatchObject({
      kind: 'template',
      name: 'yolov5s-res2net.yaml',
      text: text('yolov5s-res2net'),
    });
    expect(screen.queryByRole('menu')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Compare…' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Last saved version' }));
    expect(compareStore.getState().other).toEqual({ kind: 'saved' });
  });
});

describe('the compare view', () => {
  it('shows both totals, marks changed layers, and follows edits of the document live', async () => {
    open('yolov5s-res2net');
    act(() => compareStore.getState().open({ kind: 'template', name: 'yolov5s.yaml', text: text('yolov5s') }));
    render(<CompareView />);
    const view = screen.getByRole('region', { name: 'Comparison' });
    expect(within(view).getByLabelText('parameters A').textContent).toBe('7,235,389');
    expect(within(view).getByLabelText('parameters B').textContent).toBe('6,721,334');
    expect(within(view).getByLabelText('Total parameters').textContent).toMatch(
      /7,235,389 vs 6,721,334 parameters \(\u2212514,055, \u22127\.1%\)/,
    );
    expect(within(view).getByLabelText('rows').textContent).toBe('17 same · 8 changed · 0 added · 0 removed');
    // the graphs are laid out (ELK) asynchronously
    const b = screen.getByRole('region', { name: 'B: yolov5s-res2net.yaml (current)' });
    await within(b).findByLabelText(
      'layer 2 C3_Res2Block: changed (module: C3 → C3_Res2Block; parameters: 18,816 → 16,585)',
      {},
      { timeout: 20_000 },
    );
    const a = screen.getByRole('region', { name: 'A: yolov5s.yaml' });
    await within(a).findByLabelText('layer 0 Conv: same');

    // B is the document: an edit there changes the comparison
    act(() => void editorStore.getState().perform(changeModule(2, 'C3'), 'inspector'));
    expect(within(view).getByLabelText('rows').textContent).toBe('18 same · 7 changed · 0 added · 0 removed');
    expect(within(view).getByLabelText('parameters B').textContent).toBe('6,723,565');

    // a table row selects the layer in the editor; Close ends the comparison
    fireEvent.click(within(screen.getByRole('table', { name: 'Differences' })).getAllByRole('row')[5]);
    expect(editorStore.getState().selected).toBe(4);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(compareStore.getState().other).toBeNull();
  });

  it('Esc closes it, but not while typing in a field', () => {
    open('yolov5s');
    act(() => compareStore.getState().open({ kind: 'saved' }));
    render(
      <>
        <input aria-label="field" />
        <CompareView />
      </>,
    );
    fireEvent.keyDown(screen.getByLabelText('field'), { key: 'Escape' });
    expect(compareStore.getState().other).not.toBeNull();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(compareStore.getState().other).toBeNull();
  });
});
