// The pilot family's row (第十一条 (五)–(七), 第十三条): the Pilot, its ledger.
import type { PilotPlan } from '../../workflows/pilot/messages';
import type { PilotLevel, PilotState } from '../../workflows/pilot/state';
import { date, olderThan, type Tx } from './rows';

export interface PilotChange {
  family: 'pilot';
  /** The pilot's own fields (small: always sent whole). */
  pilot: { state: PilotState; plan?: PilotPlan; dispatches: number; acceptedAt?: string; reportedAt?: string; reportedTo?: PilotLevel[] };
}

export async function writePilot(tx: Tx, pilotId: string, revision: number, c: PilotChange): Promise<void> {
  const p = c.pilot;
  // The row is registered by the API before the workflow starts.
  await tx.pilot.updateMany({
    where: { id: pilotId, ...olderThan(revision) },
    data: {
      state: p.state,
      ...(p.plan ? { leaderId: p.plan.leaderId, goals: p.plan.goals, dueAt: new Date(p.plan.dueAt), resultsUse: p.plan.resultsUse } : {}),
      dispatches: p.dispatches,
      acceptedAt: date(p.acceptedAt),
      reportedAt: date(p.reportedAt),
      reportedTo: p.reportedTo ?? [],
      revision,
    },
  });
}
