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
