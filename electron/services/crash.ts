/**
 * When the page's process is gone (a crash, out of memory, killed): reload it, so the user gets the app back
 * and the recovery banner offers the autosaved work (main never discards it here). After repeated crashes in
 * a short time it stops reloading and says so, rather than looping.
 */
export type CrashAction = 'ignore' | 'reload' | 'give-up';

export class CrashPolicy {
  private times: number[] = [];
  constructor(
    readonly maxReloads = 3,
    readonly windowMs = 60_000,
  ) {}

  /** `reason` is Electron's RenderProcessGoneDetails.reason; `now` in ms. */
  onGone(reason: string, now: number): CrashAction {
    if (reason === 'clean-exit') return 'ignore';
    this.times = [...this.times.filter((t) => now - t < this.windowMs), now];
    return this.times.length > this.maxReloads ? 'give-up' : 'reload';
  }
}
