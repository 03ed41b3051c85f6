import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App.tsx';
import { editorStore } from './store/editor.ts';
import { templateById } from './templates.ts';

// `?template=yolov5s` opens a template directly (links, tests, the benchmark).
const tpl = templateById(new URLSearchParams(location.search).get('template') ?? '');
if (tpl) editorStore.getState().openDocument({ name: tpl.file, text: tpl.text }, { imgsz: tpl.imgsz });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
