/**
 * Closing a window or quitting with unsaved changes asks first. The page asks (its own Save / Don't save /
 * Cancel dialog, in the user's language, the same one New and Open use): main sends it a close request, the
 * page answers 'asking' at once and then 'proceed' or 'cancel'. A page that does not answer in time (hung by a
 * file, or gone) cannot ask, so main asks itself whether to close anyway; the autosaved copy then stays for
 * the next start. Electron-free: main.ts wires it to windows, IPC and dialogs.
 */
import type { CloseAnswer } from '../../src/desktop/contract.ts';

export interface CloseGuardDeps {
  /** Send the close request to the window's page. */
  askPage(windowId: number): void;
  /** The page did not answer: ask in a native dialog; true closes anyway. */
  askNatively(windowId: number): Promise<boolean>;
  /** Close the window (the guard lets it through). */
  close(windowId: number): void;
  /** Quit the app (the guard lets every window through that it allowed). */
  quit(): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** How long the page has to say it is asking (its main thread is free: milliseconds, not seconds). */
export const PAGE_ANSWER_MS = 2000;

export class CloseGuard {
  private readonly dirty = new Map<number, boolean>();
  private readonly allowed = new Set<number>();
  private readonly pending = new Map<number, { timer: unknown; asking: boolean }>();
  private quitting = false;

  constructor(
    private readonly deps: CloseGuardDeps,
    private readonly answerMs = PAGE_ANSWER_MS,
  ) {}

  setDirty(windowId: number, dirty: boolean) {
    this.dirty.set(windowId, dirty);
  }

  isDirty(windowId: number): boolean {
    return this.dirty.get(windowId) === true;
  }

  /** The app is quitting (before-quit): a window that is let close then quits the app. */
  beforeQuit() {
    this.quitting = true;
  }

  /** The window's 'close' event: true lets it close; false prevents it while the user is asked. */
  onClose(windowId: number): boolean {
    if (this.allowed.has(windowId) || !this.isDirty(windowId)) return true;
    if (!this.pending.has(windowId)) {
      const timer = this.deps.setTimer(() => void this.noAnswer(windowId), this.answerMs);
      this.pending.set(windowId, { timer, asking: false });
      this.deps.askPage(windowId);
    }
    return false;
  }

  /** The page's answer. An answer to a question that was not asked is ignored. */
  onAnswer(windowId: number, answer: CloseAnswer) {
    const p = this.pending.get(windowId);
    if (!p) return;
    if (answer === 'asking') {
      p.asking = true;
      this.deps.clearTimer(p.timer);
      return;
    }
    this.settle(windowId, answer === 'proceed');
  }

  private async noAnswer(windowId: number) {
    const p = this.pending.get(windowId);
    if (!p || p.asking) return;
    p.asking = true; // the native dialog is the question now; a late page answer still settles it
    const close = await this.deps.askNatively(windowId);
    if (this.pending.get(windowId) === p) this.settle(windowId, close);
  }

  private settle(windowId: number, proceed: boolean) {
    const p = this.pending.get(windowId);
    if (p) this.deps.clearTimer(p.timer);
    this.pending.delete(windowId);
    if (!proceed) {
      this.quitting = false;
      return;
    }
    this.allowed.add(windowId);
    if (this.quitting) this.deps.quit();
    else this.deps.close(windowId);
  }

  /** The page reloaded or its process is gone: what it was asked is void, and a new page starts clean. */
  pageReset(windowId: number) {
    const p = this.pending.get(windowId);
    if (p) this.deps.clearTimer(p.timer);
    this.pending.delete(windowId);
    this.dirty.set(windowId, false);
  }

  /** The window is closed. */
  forget(windowId: number) {
    this.pageReset(windowId);
    this.dirty.delete(windowId);
    this.allowed.delete(windowId);
  }
}
