/**
 * Replay corpus: every recorded history in tests/replay/histories (written by
 * scripts/record-histories.ts) is replayed against today's workflow code. A
 * change that makes a workflow issue different commands for the same history
 * fails here with a DeterminismViolationError — guard it with patched() or,
 * when no running workflow can be affected, re-record the corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { HISTORIES_DIR, historyFromPlain } from '../support/histories';
import { WORKFLOWS_PATH } from '../../worker/createWorker';

describe('replay corpus', () => {
  const files = fs.existsSync(HISTORIES_DIR) ? fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort() : [];
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
  });

  it('holds a history of every workflow family', () => {
    const types = new Set(
      files.map((f) => {
        const h = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as { events: Array<{ workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }> };
        return h.events[0].workflowExecutionStartedEventAttributes?.workflowType?.name;
      }),
    );
    // cycleScheduleWorkflow is only a starter of cycleWorkflow (covered by its unit-level tests).
    expect([...types].sort()).toEqual(['cycleWorkflow', 'documentWorkflow', 'explorationWorkflow', 'meetingWorkflow', 'rolloutWorkflow', 'selectionWorkflow']);
  });

  it('replays every recorded history without a determinism violation', async () => {
    const histories = files.map((f) => {
      const { workflowId, events } = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as { workflowId: string; events: unknown[] };
      // The recorded workflow id: workflow code derives keys (e.g. ledger task ids) from it.
      return { workflowId, file: f, history: historyFromPlain({ events }) };
    });
    const fileOf = new Map(histories.map((h) => [h.workflowId, h.file]));
    const failures: string[] = [];
    let events = 0;
    for (const h of histories) events += h.history.events.length;
    const results = Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'duban-replay-corpus' }, histories);
    let replayed = 0;
    for await (const r of results) {
      replayed++;
      if (r.error) {
        const kind = r.error instanceof DeterminismViolationError ? 'DeterminismViolationError' : r.error.name;
        failures.push(`${fileOf.get(r.workflowId)} (${r.workflowId}): ${kind}: ${r.error.message}`);
      }
    }
    process.stdout.write(`[replay] ${replayed} histories, ${events} events replayed, ${failures.length} determinism failures\n`);
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
    expect(replayed).toBeGreaterThanOrEqual(9);
  });
});
