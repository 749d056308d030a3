// Crash-test hook, off unless DUBAN_TEST_PAUSE_AT is set (tests/slow/worker*.test.ts):
// pauses an activity right after one of its database writes, on the first
// attempt only, and says so on stdout, so a test can SIGKILL/SIGTERM the worker
// at exactly that moment. The retry (attempt ≥ 2) passes straight through.
import { Context } from '@temporalio/activity';

export async function pauseAfterWrite(point: string, detail: string): Promise<void> {
  const at = process.env.DUBAN_TEST_PAUSE_AT;
  if (!at || !at.split(',').includes(point)) return;
  let attempt = 1;
  try {
    attempt = Context.current().info.attempt;
  } catch {
    /* not inside an activity */
  }
  if (attempt !== 1) return;
  process.stdout.write(`[duban-test-pause] ${point} ${detail}\n`);
  await new Promise((r) => setTimeout(r, Number(process.env.DUBAN_TEST_PAUSE_MS ?? 60_000)));
}
