/** A modal dialog box of the window. */
import { useEffect, useRef, type ReactNode } from 'react';
import { X } from 'lucide-react';
import { useT } from '../i18n.ts';

/** A modal box: Esc and a click beside it close it; the first field or button takes the focus. */
export function Modal({
  label,
  onClose,
  className,
  children,
}: {
  label: string;
  onClose(): void;
  className?: string;
  children: ReactNode;
}) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input, .modal-body button, .modal-close')?.focus();
    const onKey = (e: KeyboardEvent) => {
      // a question asked over this dialog (an alertdialog) answers its own Escape
      const over = (e.target as Element | null)?.closest?.('[role="alertdialog"]');
      if (e.key === 'Escape' && !(over && !box.current?.contains(over))) {
        e.preventDefault();
        e.stopPropagation();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close.current()}>
      <div className={`modal ${className ?? ''}`} role="dialog" aria-modal="true" aria-label={label} ref={box}>
        <header className="modal-head">
          <h2>{label}</h2>
          <button
            className="modal-close tool icon-only"
            aria-label={t('close')}
            title={`${t('close')} (Esc)`}
            onClick={onClose}
          >
            <X size={16} aria-hidden />
          </button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
