// The recorder: the one way a workflow's decision reaches the database, for
// every family. A change carries the workflow's revision (workflows/records.ts);
// each row it touches is written only if the row has not seen a newer
// revision, so concurrent, retried or reordered record activities end with the
// database equal to the workflow's latest state. Step events are keyed by their
// business key; obligations follow one rule for every family.
import { Context } from '@temporalio/activity';
import type { Db } from '../../common/db';
import { SUPERSEDED_REASON, type Obligation } from '../../common/obligations';
import { writeCycle, type CycleChange } from './cycle';
import { writeDocument, type DocumentChange } from './document';
import { writeDuties, type DutiesChange } from './duties';
import { writeExploration, type ExplorationChange } from './exploration';
import { writeEvaluation, type EvaluationChange } from './evaluation';
import { writeRollout, writeSelection, type RolloutChange, type SelectionChange } from './innovation';
import { writeMeeting, type MeetingChange } from './meeting';
import { writePilot, type PilotChange } from './pilot';
import { writePilotSeeking, type PilotSeekingChange } from './pilotSeeking';
import { json, olderThan, type Tx } from './rows';

export type { CycleChange, DocumentChange, DutiesChange, EvaluationChange, ExplorationChange, MeetingChange, PilotChange, PilotSeekingChange, RolloutChange, SelectionChange };

export interface ChangeBase {
  workflowId: string;
  /** The document, month, selection, rollout or pilot the workflow is about. */
  subjectId: string;
  /** The workflow's revision of this change: greater than every earlier change's. */
  revision: number;
  /** The workflow's time of the change. */
  at: string;
  /** Who did what, when the change is a step (keyed by workflow id + update id or step). */
  event?: { key: string; step: string; actorId?: string; data?: Record<string, unknown> };
  /** The obligations that changed; `complete` when these are all of the workflow's (others close as superseded). */
  obligations?: { rows: Obligation[]; complete: boolean };
}

export type RecordChange = ChangeBase & (DocumentChange | CycleChange | SelectionChange | RolloutChange | ExplorationChange | MeetingChange | EvaluationChange | PilotChange | PilotSeekingChange | DutiesChange);

export function createRecordActivities(db: Db) {
  return {
    async recordChange(c: RecordChange): Promise<void> {
      await db.$transaction(
        async (tx) => {
          // One writer at a time per workflow: its concurrent changes serialise here, so the
          // revision checks below compare against committed rows.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${c.workflowId}, 0))`;
          switch (c.family) {
            case 'document':
              await writeDocument(tx, c.subjectId, c.revision, c);
              break;
            case 'cycle':
              await writeCycle(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
            case 'selection':
              await writeSelection(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
            case 'rollout':
              await writeRollout(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
            case 'exploration':
              await writeExploration(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
            case 'meeting':
              await writeMeeting(tx, c.subjectId, c.revision, c);
              break;
            case 'evaluation':
              await writeEvaluation(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
            case 'pilot':
              await writePilot(tx, c.subjectId, c.revision, c);
              break;
            case 'pilotSeeking':
              await writePilotSeeking(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
            case 'duties':
              await writeDuties(tx, c.subjectId, c.workflowId, c.revision, c);
              break;
          }
          if (c.event) {
            const e = c.event;
            await tx.workflowEvent.createMany({
              data: [{ key: e.key, workflowId: c.workflowId, runId: Context.current().info.workflowExecution?.runId, family: c.family, subjectId: c.subjectId, step: e.step, actorId: e.actorId ?? null, at: new Date(c.at), revision: c.revision, data: json(e.data ?? {}) }],
              skipDuplicates: true,
            });
          }
          if (c.obligations) await writeObligations(tx, c);
        },
        { timeout: 30_000 },
      );
    },
  };
}

/**
 * The one obligation rule: each listed obligation is written unless its row
 * saw a newer change; a closed one keeps the time it first closed. With
 * `complete`, any other open obligation of the workflow closes as superseded.
 */
async function writeObligations(tx: Tx, c: RecordChange): Promise<void> {
  const { rows, complete } = c.obligations!;
  const existing = new Map(
    (await tx.obligation.findMany({ where: { key: { in: rows.map((o) => o.key) } }, select: { key: true, status: true, closedAt: true, revision: true } })).map((o) => [o.key, o]),
  );
  for (const o of rows) {
    const prev = existing.get(o.key);
    if (prev && prev.revision >= c.revision) continue;
    const closedAt = o.status === 'OPEN' ? null : prev && prev.status !== 'OPEN' && prev.closedAt ? prev.closedAt : new Date(o.closedAt ?? c.at);
    const data = { title: o.title, rule: o.rule, unitId: o.unitId, officialId: o.officialId ?? null, dueAt: new Date(o.dueAt), status: o.status, reason: o.reason ?? null, closedAt, revision: c.revision };
    if (prev) await tx.obligation.update({ where: { key: o.key }, data });
    else await tx.obligation.create({ data: { key: o.key, workflowId: c.workflowId, family: c.family, subjectId: c.subjectId, ...data } });
  }
  if (complete) {
    await tx.obligation.updateMany({
      where: { workflowId: c.workflowId, status: 'OPEN', key: { notIn: rows.map((o) => o.key) }, ...olderThan(c.revision) },
      data: { status: 'SUPERSEDED', reason: SUPERSEDED_REASON, closedAt: new Date(c.at), revision: c.revision },
    });
  }
}
