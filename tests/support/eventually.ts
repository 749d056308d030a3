/**
 * Polls `fn` until `ok` holds or the time is up; returns the last value for the
 * assertion to judge. Activities run in real time even while a time-skipping
 * server skips the workflow clock, so their rows appear a little later.
 */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean = Boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls until `fn` finds something (a truthy value) and returns it; fails naming `what` when the time is up. */
export async function found<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const v = await eventually(fn, Boolean, timeoutMs);
  if (!v) throw new Error(`timed out waiting for ${what}`);
  return v;
}
