/**
 * Re-records the replay corpus (tests/replay/histories/*.json): representative
 * runs of every workflow family and branch on the time-skipping server, with
 * the real activities, a fresh PostgreSQL database and the SMTP sink (started
 * exactly as jest's globalSetup starts them).
 *
 *   npx tsx scripts/record-histories.ts            # all scenarios
 *   npx tsx scripts/record-histories.ts doc-exempt # only the named ones
 *
 * Re-record only when a change to workflow code is *meant* to change the
 * commands a workflow issues and no running workflow can still be on the old
 * code path; otherwise guard the change with patched() (see README, Reliability).
 *
 * Payloads are recorded in the clear (no codec): the corpus is test data about
 * seeded, fictitious officials, and replay must not depend on a key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import globalSetup from '../tests/support/globalSetup';
import globalTeardown from '../tests/support/globalTeardown';
import { HISTORIES_DIR, historyToPlain } from '../tests/support/histories';
import { SCENARIOS } from '../tests/support/scenarios';
import { startTimeSkippingWorker } from '../tests/support/timeSkipping';
import { REPO_ROOT } from './stack';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !(n in SCENARIOS));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // The services jest uses, started the same way (fresh database, SMTP sink).
  await globalSetup();
  // No payload codec: the corpus must replay without a key (see the header).
  const harness = await startTimeSkippingWorker();
  try {
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    const tag = String(Date.now() % 1_000_000);
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      if (only.length && !only.includes(name)) continue;
      const t0 = Date.now();
      const handles = await scenario({ env: harness.env, deps: harness.deps, tag });
      for (const [i, h] of handles.entries()) {
        const history = await h.fetchHistory();
        const file = path.join(HISTORIES_DIR, `${name}${handles.length > 1 ? `-${i + 1}` : ''}.json`);
        // The workflow id is not in the history, and workflow code derives keys from it: keep it alongside.
        fs.writeFileSync(file, `${JSON.stringify({ workflowId: h.workflowId, ...(historyToPlain(history) as object) }, null, 1)}\n`);
        console.log(`${path.relative(REPO_ROOT, file)}: ${history.events?.length ?? 0} events (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      }
    }
  } finally {
    await harness.close();
    await globalTeardown();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
