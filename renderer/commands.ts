/** App-level commands shared by the toolbar, the keyboard and the host's menu. */
import { getHost, type MenuCommand } from './host/index.ts';
import { editorStore } from './store/editor.ts';

export async function openWithHost() {
  const f = await getHost().open();
  if (f) editorStore.getState().openDocument(f);
}

export async function openDropped(file: File) {
  const text = await file.text();
  getHost().addRecent({ name: file.name, text });
  editorStore.getState().openDocument({ name: file.name, text });
}

export async function save(as = false) {
  const s = editorStore.getState();
  if (s.screen !== 'editor') return;
  const host = getHost();
  const saved = as ? await host.saveAs(s.file.name, s.text) : await host.save(s.file, s.text);
  if (saved) editorStore.getState().markSaved(saved);
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
