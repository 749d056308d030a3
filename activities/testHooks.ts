// Crash-test hook, off unless DUBAN_TEST_PAUSE_AT is set (tests/slow/worker*.test.ts):
// pauses an activity right after one of its database writes, on the first
// attempt only, and says so on stdout, so a test can SIGKILL/SIGTERM the worker
// at exactly that moment. The retry (attempt ≥ 2) passes straight through.
import { Context } from '@temporalio/activity';

/** The running activity's attempt number; undefined outside an activity. */
function currentAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined;
  }
}

export async function pauseAfterWrite(point: string, detail: string): Promise<void> {
  const at = process.env.DUBAN_TEST_PAUSE_AT;
  if (!at || !at.split(',').includes(point)) return;
  if ((currentAttempt() ?? 1) !== 1) return;
  process.stdout.write(`[duban-test-pause] ${point} ${detail}\n`);
  await new Promise((r) => setTimeout(r, Number(process.env.DUBAN_TEST_PAUSE_MS ?? 60_000)));
}

/**
 * With DUBAN_TEST_HOLD_RETRIES set, a retried notice activity (attempt ≥ 2)
 * waits before doing anything, so a crash test's next SIGKILL can only land at
 * its chosen point, never inside a retry's SMTP exchange. Off by default.
 */
export async function holdRetry(detail: string): Promise<void> {
  if (!process.env.DUBAN_TEST_HOLD_RETRIES) return;
  const attempt = currentAttempt();
  if (attempt === undefined || attempt === 1) return;
  process.stdout.write(`[duban-test-hold] retry ${attempt} ${detail}\n`);
  await new Promise((r) => setTimeout(r, 10 * 60_000));
}
