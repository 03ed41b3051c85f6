/**
 * While the YAML cannot be read (a syntax error), the canvas keeps the last readable graph, dimmed, and says
 * which line is wrong and why; clicking the banner shows the line in the YAML pane.
 */
import { unreadableProblem } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useLang, useT } from '../i18n.ts';
import { localizeMessage } from '../diagnostics-i18n.ts';
import { ErrorIcon } from './icons.tsx';

export function StaleBanner() {
  const t = useT();
  const lang = useLang((s) => s.lang);
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
        : {localizeMessage(problem.message, problem.code, lang)}
        {kept ? ` — ${t('showingLastGood')}` : ''}
      </span>
    </button>
  );
}
