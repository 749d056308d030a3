/** Jest globalTeardown: drops the run's database and stops what globalSetup started, in reverse order. */
import { dropDatabase } from '../../scripts/stack';
import { takeTestStack } from './stackState';

export default async function globalTeardown(): Promise<void> {
  const state = takeTestStack();
  if (!state) return;
  if (state.databaseUrl) {
    await dropDatabase(state.databaseUrl).catch((err: unknown) =>
      process.stderr.write(`[test-stack] could not drop ${state.databaseUrl}: ${String(err)}\n`),
    );
  }
  for (const stop of [...state.stops].reverse()) {
    await stop().catch((err: unknown) => process.stderr.write(`[test-stack] stop failed: ${String(err)}\n`));
  }
}
