/**
 * While the YAML cannot be read (a syntax error), the canvas keeps the last readable graph, dimmed, and says
 * which line is wrong and why; clicking the banner shows the line in the YAML pane.
 */
import { unreadableProblem } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { useMessageText } from '../messages.ts';
import { ErrorIcon } from './icons.tsx';

export function StaleBanner() {
  const t = useT();
  const words = useMessageText();
  const problem = useEditor((s) => unreadableProblem(s.source.diagnostics));
  const kept = useEditor((s) => s.stale && (s.lastGood?.analysis.layers.length ?? 0) > 0);
  if (!problem) return null;
  return (
    <button
      className="stale-banner"
      role="alert"
      onClick={() => editorStore.getState().revealLayer(null, problem.range?.[0] ?? null)}
    >
      <ErrorIcon />
      <span>
        <b>
          {t('unreadable')} ({t('line')} {problem.line})
        </b>
        : {words(problem.message)}
        {kept ? ` — ${t('showingLastGood')}` : ''}
      </span>
    </button>
  );
}
