/** The toolbar's "Compare…": the document against its last saved version, a file, or a bundled template. */
import { useEffect, useRef, useState } from 'react';
import type { LucideIcon } from 'lucide-react';
import { TEMPLATES, templateLabel } from '../templates.ts';
import { getHost } from '../host/index.ts';
import { editorStore } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { msg, type Message } from '../../src/core/index.ts';
import { compareStore } from './compare-store.ts';
import { otherFromFile } from './compare-model.ts';
import { librariesWith, reader, readFailureMessage } from '../open/index.ts';
import { libraryStore } from '../modules/library.ts';

/** Ask the host for a file and compare with it; a file that is no model says why. */
export async function compareWithFile(notify: (message: Message) => void) {
  const opened = await getHost().open();
  if (!opened) return;
  // read in the read worker first (a hostile file never freezes the window); a .pt is unpickled there
  let f: { name: string; text: string } = opened;
  if (opened.bytes) {
    const cp = await reader.checkpoint(opened.name, opened.bytes);
    if (!cp.ok) {
      notify(
        cp.reason === 'failed'
          ? msg('toast.compare-bad-checkpoint', { file: opened.name, problem: cp.message })
          : readFailureMessage(opened.name, cp),
      );
      return;
    }
    f = { name: opened.name, text: cp.text };
  }
  const s = editorStore.getState();
  const read = await reader.model({
    name: f.name,
    text: f.text,
    libraries: librariesWith(libraryStore.getState().model),
    imgsz: s.imgsz,
  });
  if (!read.ok) {
    notify(readFailureMessage(f.name, read));
    return;
  }
  const r = otherFromFile(f);
  if (r.ok) compareStore.getState().open({ kind: 'file', name: r.name, text: r.text });
  else
    notify(
      r.reason === 'not-a-model'
        ? msg('toast.compare-not-a-model', { file: f.name })
        : msg('toast.compare-bad-checkpoint', { file: f.name, problem: r.detail }),
    );
}

function notifyError(message: Message) {
  editorStore.getState().notify(message, true);
}

export function CompareMenu({ disabled, icon: Icon }: { disabled: boolean; icon?: LucideIcon }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const done = (f: () => void) => () => {
    setOpen(false);
    f();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>('button')?.focus();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const k = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = items[(k + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
    next?.focus();
  };

  return (
    <span className="compare-menu" ref={root}>
      <button
        className="tool"
        onClick={() => setOpen(!open)}
        disabled={disabled}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('compare')}
        title={t('compare')}
      >
        {Icon && <Icon size={16} aria-hidden className="tool-icon" />}
        <span className="tool-label">{t('compare')}</span>
      </button>
      {open && (
        <div className="compare-popover" role="menu" aria-label={t('compareWith')} ref={menu} onKeyDown={onKeyDown}>
          <div className="compare-popover-title">{t('compareWith')}</div>
          <button role="menuitem" onClick={done(() => compareStore.getState().open({ kind: 'saved' }))}>
            {t('compareSaved')}
          </button>
          <button role="menuitem" onClick={done(() => void compareWithFile(notifyError))}>
            {t('compareFile')}
          </button>
          <div className="compare-popover-title" role="presentation">
            {t('templates')}
          </div>
          <div className="compare-templates" role="group" aria-label={t('templates')}>
            {TEMPLATES.map((x) => (
              <button
                key={x.id}
                role="menuitem"
                className="template"
                onClick={done(() => compareStore.getState().open({ kind: 'template', name: x.file, text: x.text }))}
              >
                {templateLabel(x.id)}
              </button>
            ))}
          </div>
        </div>
      )}
    </span>
  );
}
