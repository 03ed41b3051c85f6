/** A question over the window (an alertdialog): the look of Modal.tsx's dialogs, but only its buttons answer. */
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

/**
 * Its title, what it lists (children), a line of detail and its buttons. `focus` is the button that has the focus
 * when it opens (again for each new `question`), Escape calls onEscape (the cancelling answer), a click beside it
 * answers nothing, and the focus goes back where it was when it closes.
 */
export function AlertDialog({
  id,
  question,
  title,
  detail,
  focus,
  onEscape,
  className,
  backdropClassName,
  children,
  actions,
}: {
  /** Its elements' id prefix (`${id}-title`, `${id}-detail`). */
  id: string;
  question: object;
  title: string;
  detail: string;
  focus: RefObject<HTMLButtonElement | null>;
  onEscape(): void;
  className?: string;
  backdropClassName?: string;
  children?: ReactNode;
  actions: ReactNode;
}) {
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    focus.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        escape.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [question, focus]);
  return (
    <div className={`modal-backdrop ${backdropClassName ?? ''}`}>
      <div
        className={`modal alert-dialog ${className ?? ''}`}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-detail`}
      >
        <header className="modal-head">
          <h2 id={`${id}-title`}>{title}</h2>
        </header>
        {children}
        <p id={`${id}-detail`}>{detail}</p>
        <div className="modal-actions">{actions}</div>
      </div>
    </div>
  );
}
