import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App.tsx';
import { editorStore } from './store/editor.ts';
import { templateById } from './templates.ts';
import { autosave } from './recovery/index.ts';

// unsaved edits are kept for crash recovery from the first change on
autosave.start();

// `?template=yolov5s` opens a template directly (links, tests, the benchmark).
const tpl = templateById(new URLSearchParams(location.search).get('template') ?? '');
if (tpl) editorStore.getState().openDocument({ name: tpl.file, text: tpl.text }, { imgsz: tpl.imgsz });

// Start ELK's worker while the user looks at the start screen, so the first layout does not wait for it.
const warm = () => void import('./canvas/layout.ts').then((m) => m.getElk());
if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 1500 });
else setTimeout(warm, 200);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
