/**
 * ipcMain.on listeners never throw into Electron: an exception there (a bad argument from the page, a failed
 * write) would reach the main process's uncaught-exception dialog. Errors, thrown or rejected, are reported.
 */
export function guardedListener<A extends unknown[]>(
  channel: string,
  fn: (...args: A) => unknown,
  report: (channel: string, error: unknown) => void = (c, e) =>
    console.warn(`IPC ${c} refused: ${(e as Error)?.message ?? String(e)}`),
): (...args: A) => void {
  return (...args: A) => {
    try {
      const r = fn(...args);
      if (r && typeof (r as PromiseLike<unknown>).then === 'function')
        void Promise.resolve(r).catch((e: unknown) => report(channel, e));
    } catch (e) {
      report(channel, e);
    }
  };
}
