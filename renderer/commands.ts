/** App-level commands shared by the toolbar, the keyboard and the host's menu. */
import { parseModelText } from '../src/core/index.ts';
import { setHeader } from '../src/core/edit/index.ts';
import { getHost, type MenuCommand, type OpenedFile } from './host/index.ts';
import { editorStore } from './store/editor.ts';

/**
 * Open a file: a model config replaces the document; a dataset YAML (`names:` and no layers) with a model
 * open sets the model's `nc` (one undo step) and its class names.
 */
export function openFile(f: OpenedFile) {
  const s = editorStore.getState();
  const src = parseModelText(f.text, f.name);
  if (src.names && src.rows.length === 0 && !src.sections.backbone && s.screen === 'editor') {
    const nc = src.names.length;
    s.setClassNames(src.names);
    if (s.analysis.nc !== nc) s.perform(setHeader('nc', String(nc)), 'load');
    editorStore.setState({ message: { text: `${f.name}: ${nc} classes (nc = ${nc})`, error: false, seq: (s.message?.seq ?? 0) + 1 } });
    return;
  }
  s.openDocument(f);
  if (src.names) editorStore.getState().setClassNames(src.names);
}

export async function openWithHost() {
  const f = await getHost().open();
  if (f) openFile(f);
}

export async function openDropped(file: File) {
  const text = await file.text();
  getHost().addRecent({ name: file.name, text });
  openFile({ name: file.name, text });
}

export async function save(as = false) {
  const s = editorStore.getState();
  if (s.screen !== 'editor') return;
  const host = getHost();
  const saved = as ? await host.saveAs(s.file.name, s.text) : await host.save(s.file, s.text);
  if (saved) editorStore.getState().markSaved(saved);
}

/** Export the model graph as SVG or PNG (for papers). */
export async function exportGraph(format: 'svg' | 'png', labels?: { backbone: string; head: string; image: string }) {
  const { graphSvg, svgToPng } = await import('./canvas/export-svg.ts');
  const { download } = await import('./host/browser.ts');
  const s = editorStore.getState();
  const svg = graphSvg(s.analysis, s.positions, labels);
  const base = s.file.name.replace(/\.ya?ml$/i, '');
  const data = format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg);
  const host = getHost();
  const name = `${base}.${format}`;
  if (host.exportFile) await host.exportFile(name, data);
  else download(name, data);
}

export function runMenuCommand(c: MenuCommand) {
  const s = editorStore.getState();
  switch (c) {
    case 'new':
      s.closeDocument();
      break;
    case 'open':
      void openWithHost();
      break;
    case 'save':
      void save(false);
      break;
    case 'saveAs':
      void save(true);
      break;
    case 'undo':
      s.undo();
      break;
    case 'redo':
      s.redo();
      break;
    case 'relayout':
      s.relayout();
      break;
    case 'find':
    case 'fitView':
      break;
  }
}
