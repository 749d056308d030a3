/**
 * The invariant every integration test ends with: for each workflow it
 * touched, the database record (state or phase, child rows, every obligation's
 * status) equals the workflow's own view (its query) — the workflow is the
 * source of truth, the database its projection. Record activities may still
 * be in flight when a test ends, so the check waits for them (bounded).
 */
import { status } from '@grpc/grpc-js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { grpcFailure } from '../../api/errors';
import type { Db } from '../../common/db';
import { cycleObligations } from '../../workflows/cycle/obligations';
import { cycleStateQuery, type CycleView } from '../../workflows/cycle/messages';
import { documentObligations } from '../../workflows/document/obligations';
import { explorationQuery, type ExplorationView } from '../../workflows/exploration/messages';
import { explorationObligations } from '../../workflows/exploration/obligations';
import { evaluationQuery, type EvaluationView } from '../../workflows/evaluation/messages';
import { evaluationObligations } from '../../workflows/evaluation/obligations';
import { stateQuery, type DocumentView } from '../../workflows/document/messages';
import * as im from '../../workflows/innovation/messages';
import { rolloutObligations, selectionObligations } from '../../workflows/innovation/obligations';
import { meetingStateQuery, type MeetingView } from '../../workflows/meeting/messages';
import { meetingObligations } from '../../workflows/meeting/obligations';
import { pilotQuery, type PilotView } from '../../workflows/pilot/messages';
import { pilotObligations } from '../../workflows/pilot/obligations';
import { seekingQuery, type SeekingView } from '../../workflows/pilotSeeking/messages';
import { seekingObligations } from '../../workflows/pilotSeeking/obligations';
import { dutiesQuery, type DutiesView } from '../../workflows/standingDuties/messages';
import { dutiesObligations } from '../../workflows/standingDuties/obligations';
import { verdictOf } from '../../workflows/innovation/state';
import { eventually } from './eventually';

type Check = (db: Db, client: Client, workflowId: string) => Promise<string[]>;

/** Temporal's answers when no worker took the query in time, or the server was busy. */
const TRANSIENT = new Set<number>([status.DEADLINE_EXCEEDED, status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, status.CANCELLED]);

/** Where the record and the workflow disagree, one line each (empty: they agree). */
export async function recordDivergences(db: Db, client: Client, workflowIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of new Set(workflowIds)) {
    // Test fixtures' own workflows (no family) have no record; nor has a workflow that never started.
    const check = CHECKS[id.slice(0, id.indexOf(':'))];
    if (!check) continue;
    try {
      await client.workflow.getHandle(id).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) continue;
      throw err;
    }
    try {
      out.push(...(await check(db, client, id)).map((d) => `${id}: ${d}`));
    } catch (err) {
      // A query needs a worker to answer it: under load, or while another test file's worker on the shared
      // task queue shuts down, it can time out. Reported as a divergence, so the caller's poll asks again;
      // any other failure is a bug of the check or the workflow and fails at once.
      if (!TRANSIENT.has(grpcFailure(err)?.code ?? -1)) throw err;
      out.push(`${id}: not compared (${err instanceof Error ? `${err.message}: ${err.cause instanceof Error ? err.cause.message : ''}` : String(err)})`);
    }
  }
  return out;
}

/** Fails the test, listing each divergence, unless the records of these workflows match them within `timeoutMs`. */
export async function expectRecordsMatch(db: Db, client: Client, workflowIds: string[], timeoutMs = 30_000): Promise<void> {
  const divergences = await eventually(() => recordDivergences(db, client, workflowIds), (d) => d.length === 0, timeoutMs);
  expect(divergences).toEqual([]);
}

const differ = (what: string, db: unknown, workflow: unknown): string[] =>
  JSON.stringify(db) === JSON.stringify(workflow) ? [] : [`${what}: database ${JSON.stringify(db)} ≠ workflow ${JSON.stringify(workflow)}`];

/** Every obligation of the workflow, key → status, as stored and as the workflow's rule computes it. */
async function obligationsDiffer(db: Db, workflowId: string, computed: Array<{ key: string; status: string }>): Promise<string[]> {
  const rows = await db.obligation.findMany({ where: { workflowId }, select: { key: true, status: true } });
  const stored = Object.fromEntries(rows.filter((r) => r.status === 'OPEN' || computed.some((c) => c.key === r.key)).map((r) => [r.key, r.status]));
  const expected = Object.fromEntries(computed.map((c) => [c.key, c.status]));
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(expected)])].sort();
  return keys.flatMap((k) => differ(`obligation ${k}`, stored[k], expected[k]));
}

const CHECKS: Record<string, Check> = {
  async document(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<DocumentView>(stateQuery);
    const row = await db.document.findUnique({ where: { workflowId }, include: { ledgerTasks: true } });
    if (!row) return ['no Document row'];
    const tasks = (ts: Array<{ id: string; status: string; ownerId: string; closedAt?: string | Date | null }>) =>
      Object.fromEntries(ts.map((t) => [t.id, [t.status, t.ownerId, t.closedAt ? new Date(t.closedAt).toISOString() : null]] as const).sort(([a], [b]) => a.localeCompare(b)));
    return [
      ...differ('state', row.state, v.state),
      ...differ('revision', row.revision, v.revision),
      ...differ('linkedDocNumber', row.linkedDocNumber, v.linkedDocNumber ?? null),
      ...differ('leadUnitId', row.leadUnitId, v.leadUnitId ?? null),
      ...differ('districtIds', row.districtIds, (v.districts ?? []).map((d) => d.unitId)),
      ...differ('ledger tasks', tasks(row.ledgerTasks), tasks(v.tasks)),
      ...(await obligationsDiffer(db, workflowId, documentObligations({ ...v, fired: [], taskSeq: 0 }, workflowId))),
    ];
  },

  async cycle(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<CycleView>(cycleStateQuery);
    const row = await db.cycle.findUnique({ where: { workflowId } });
    if (!row) return ['no Cycle row'];
    const [reports, inspections, diagnoses, entries, meetings, upward] = await Promise.all([
      db.cycleReport.findMany({ where: { cycleId: row.id } }),
      db.cycleInspection.findMany({ where: { cycleId: row.id } }),
      db.cycleDiagnosis.findMany({ where: { cycleId: row.id } }),
      db.cycleScoreEntry.count({ where: { cycleId: row.id } }),
      db.cyclePromotionMeeting.findMany({ where: { cycleId: row.id } }),
      db.cycleUpwardRecommendation.count({ where: { cycleId: row.id } }),
    ]);
    const at = (x?: string | Date | null) => (x ? new Date(x).toISOString() : null);
    const byId = <T,>(xs: T[], key: (x: T) => string, val: (x: T) => unknown) => Object.fromEntries(xs.map((x) => [key(x), val(x)] as const).sort(([a], [b]) => a.localeCompare(b)));
    return [
      ...differ('phase', row.phase, v.phase),
      ...differ('quarter', row.quarter, v.quarter),
      ...differ('revision', row.revision, v.revision),
      ...differ('ranked', !!row.rankedAt, !!v.ranking),
      ...differ('reports', byId(reports, (r) => r.unitId, (r) => [r.summary, r.onTime]), byId(v.reports, (r) => r.unitId, (r) => [r.summary, r.onTime])),
      ...differ('inspections', byId(inspections, (i) => i.id, (i) => [at(i.unitSignedAt), at(i.leaderSignedAt)]), byId(v.inspections, (i) => i.id, (i) => [at(i.unitSignedAt), at(i.leaderSignedAt)])),
      ...differ('diagnoses', byId(diagnoses, (d) => d.unitId, (d) => at(d.filedAt)), byId(v.diagnoses, (d) => d.unitId, (d) => at(d.filedAt))),
      ...differ('score entries', entries, v.entries.length),
      ...differ('promotion meetings', byId(meetings, (x) => x.id, (x) => [x.districtId, at(x.heldAt)]), byId(v.promotionMeetings ?? [], (x) => x.id, (x) => [x.districtId, at(x.heldAt)])),
      ...differ('upward recommendations', upward, (v.upwardRecommendations ?? []).length),
      ...differ('inspection peers', byId(inspections, (i) => i.id, (i) => i.peerUnitId), byId(v.inspections, (i) => i.id, (i) => i.peerUnitId ?? null)),
      ...differ('inspection opinions', byId(inspections, (i) => i.id, (i) => (i.opinions as unknown[]).length), byId(v.inspections, (i) => i.id, (i) => (i.opinions ?? []).length)),
      ...(await obligationsDiffer(db, workflowId, cycleObligations({ ...v, fired: [], seq: 0 }, workflowId, v.month, v.quarter))),
    ];
  },

  async selection(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<im.SelectionView>(im.selectionQuery);
    const row = await db.innovationSelection.findUnique({ where: { workflowId }, include: { candidates: true } });
    if (!row) return ['no InnovationSelection row'];
    const cands = (
      cs: Array<{ id: string; mutualVotes: number; secondVotes: number; publicVotes: number; combinedScore?: number | null; shortlistRank?: number | null; finalRank?: number | null; approved: boolean; opinions: unknown }>,
    ) =>
      Object.fromEntries(
        cs
          .map((c) => [c.id, [c.mutualVotes, c.secondVotes, c.publicVotes, c.combinedScore ?? null, c.shortlistRank ?? null, c.finalRank ?? null, c.approved, (c.opinions as unknown[]).length]] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const answers = (as: unknown) => (as as Array<{ by: string; agree: boolean }>).map((x) => `${x.by}:${x.agree}`);
    return [
      ...differ('phase', row.phase, v.phase),
      ...differ('revision', row.revision, v.revision),
      ...differ('submittedBy', row.submittedBy, v.submission?.by ?? null),
      ...differ('agreements', answers(row.agreements), answers(v.agreements ?? [])),
      ...differ('candidates', cands(row.candidates), cands(v.candidates)),
      ...(await obligationsDiffer(db, workflowId, selectionObligations({ ...v, fired: [], seq: 0 }, workflowId, v.selectionId))),
    ];
  },

  async evaluation(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<EvaluationView>(evaluationQuery);
    const row = await db.evaluation.findUnique({ where: { workflowId } });
    if (!row) return ['no Evaluation row'];
    const body = row.body as unknown as Pick<EvaluationView, 'selfScores' | 'departmentScores' | 'visits' | 'followUps' | 'report'>;
    const units = (xs: Array<{ unitId: string }>) => xs.map((x) => x.unitId).sort();
    return [
      ...differ('phase', row.phase, v.phase),
      ...differ('revision', row.revision, v.revision),
      ...differ('seed', row.seed, v.seed),
      ...differ('self-scores', units(body.selfScores), units(v.selfScores)),
      ...differ('department scores', units(body.departmentScores), units(v.departmentScores)),
      // jsonb keeps its own key order: compare values.
      ...differ('visits', body.visits.map((x) => [x.districtId, x.chosen, x.drawn]), v.visits.map((x) => [x.districtId, x.chosen, x.drawn])),
      ...differ('report', body.report?.submittedAt ?? null, v.report?.submittedAt ?? null),
      ...differ('follow-ups', body.followUps.map((f) => [f.id, f.unitId, f.dueAt, f.doneAt ?? null]), v.followUps.map((f) => [f.id, f.unitId, f.dueAt, f.doneAt ?? null])),
      ...(await obligationsDiffer(db, workflowId, evaluationObligations({ ...v, fired: [] }, workflowId))),
    ];
  },

  async rollout(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<im.RolloutView>(im.rolloutQuery);
    const row = await db.innovationRollout.findUnique({ where: { workflowId } });
    if (!row) return ['no InnovationRollout row'];
    const board = (ds: im.RolloutView['duties']) =>
      Object.fromEntries(ds.map((d) => [d.name, [d.doneAt ?? null, d.submittedAt ?? null, d.chases, verdictOf(d)?.verdict ?? null]] as const).sort(([a], [b]) => a.localeCompare(b)));
    return [
      ...differ('state', row.state, v.state),
      ...differ('revision', row.revision, v.revision),
      ...differ('board', board((row.board as unknown as { duties: im.RolloutView['duties'] }).duties), board(v.duties)),
      ...(await obligationsDiffer(db, workflowId, rolloutObligations({ ...v, fired: [], problemSeq: 0 }, workflowId, undefined))),
    ];
  },

  async exploration(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<ExplorationView>(explorationQuery);
    const row = await db.explorationYear.findUnique({ where: { workflowId } });
    if (!row) return ['no ExplorationYear row'];
    const items = await db.explorationItem.findMany({ where: { year: row.id } });
    const decided = (r: unknown) => (r ? (r as { passed: boolean }).passed : null);
    const byId = (xs: Array<{ id: string; groupReview?: unknown; officeReview?: unknown; approval?: unknown; progress: unknown }>) =>
      Object.fromEntries(xs.map((i) => [i.id, [decided(i.groupReview), decided(i.officeReview), decided(i.approval), (i.progress as unknown[]).length]] as const).sort(([a], [b]) => a.localeCompare(b)));
    return [
      ...differ('phase', row.phase, v.phase),
      ...differ('revision', row.revision, v.revision),
      ...differ('rounds', (row.rounds as unknown[]).length, v.rounds.length),
      ...differ('items', byId(items.map((i) => ({ ...i, id: i.itemId }))), byId(v.items)),
      ...(await obligationsDiffer(db, workflowId, explorationObligations({ ...v, fired: [], seq: 0, chases: {} }, workflowId))),
    ];
  },

  async meeting(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<MeetingView>(meetingStateQuery);
    const row = await db.superiorMeeting.findUnique({ where: { workflowId }, include: { meetings: true } });
    if (!row) return ['no SuperiorMeeting row'];
    const owing = (us: MeetingView['owing']) => us.map((u) => [u.unitId, u.conveyedAt ?? null, u.meetingId ?? null]);
    const meetings = (ms: Array<{ id: string; unitId: string; conveyedLatest: boolean }>) =>
      Object.fromEntries(ms.map((x) => [x.id, [x.unitId, x.conveyedLatest]] as const).sort(([a], [b]) => a.localeCompare(b)));
    return [
      ...differ('state', row.state, v.state),
      ...differ('revision', row.revision, v.revision),
      ...differ('owing', owing(row.owing as unknown as MeetingView['owing']), owing(v.owing)),
      ...differ('meetings', meetings(row.meetings), meetings(v.meetings)),
      ...(await obligationsDiffer(db, workflowId, meetingObligations({ ...v, fired: [] }, workflowId, v.title))),
    ];
  },

  async pilot(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<PilotView>(pilotQuery);
    const row = await db.pilot.findUnique({ where: { workflowId } });
    if (!row) return ['no Pilot row'];
    const at = (x?: string | Date | null) => (x ? new Date(x).toISOString() : null);
    return [
      ...differ('state', row.state, v.state),
      ...differ('revision', row.revision, v.revision),
      ...differ('dispatches', row.dispatches, v.dispatches.length),
      ...differ('plan', [row.goals, at(row.dueAt)], [v.plan?.goals ?? null, at(v.plan?.dueAt)]),
      ...differ('upward report', [at(row.reportedAt), row.reportedTo], [at(v.reportedAt), v.reportedTo ?? []]),
      ...(await obligationsDiffer(db, workflowId, pilotObligations({ ...v, fired: [] }, workflowId, v.leadUnitId))),
    ];
  },

  async 'pilot-seeking'(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<SeekingView>(seekingQuery);
    const row = await db.pilotSeekingQuarter.findUnique({ where: { workflowId } });
    if (!row) return ['no PilotSeekingQuarter row'];
    const at = (x?: string | Date | null) => (x ? new Date(x).toISOString() : null);
    // A row a later quarter took over is that quarter's to record.
    const stored = await db.pilotSeekingRow.findMany({ where: { id: { in: v.rows.map((r) => r.id) } } });
    const mine = stored.filter((r) => r.workflowId === workflowId);
    const rows = (rs: Array<{ id: string; status: string; progress: string; leaderId?: string | null; closedIn?: string | null }>) => rs.map((r) => [r.id, r.status, r.progress, r.leaderId ?? null, r.closedIn ?? null]).sort();
    return [
      ...differ('phase', row.phase, v.phase),
      ...differ('revision', row.revision, v.revision),
      ...differ('leads issued', [at(row.leadsIssuedAt), (row.leads as unknown[]).length], [at(v.leadsIssuedAt), v.leads.length]),
      ...differ('reports', (row.reports as Array<{ unitId: string; month: number }>).map((r) => `${r.month}:${r.unitId}`).sort(), v.reports.map((r) => `${r.month}:${r.unitId}`).sort()),
      ...differ('bulletin', [at(row.bulletinDueAt), at(row.closedAt)], [at(v.bulletinDueAt), at(v.closedAt)]),
      ...differ('rows', rows(mine), rows(v.rows.filter((r) => mine.some((x) => x.id === r.id)))),
      ...differ('rows recorded', stored.length, v.rows.length),
      ...(await obligationsDiffer(db, workflowId, seekingObligations({ ...v, fired: [], seq: 0 }, v.quarter, workflowId))),
    ];
  },

  async duties(db, client, workflowId) {
    const v = await client.workflow.getHandle(workflowId).query<DutiesView>(dutiesQuery);
    const row = await db.dutiesYear.findUnique({ where: { workflowId } });
    if (!row) return ['no DutiesYear row'];
    const at = (x?: string | Date | null) => (x ? new Date(x).toISOString() : null);
    const b = row.brochure as { distribution?: { at: string } };
    const t = row.training as { held?: { at: string } };
    return [
      ...differ('phase', row.phase, v.phase),
      ...differ('revision', row.revision, v.revision),
      // PostgreSQL's jsonb orders keys its own way: compare field by field.
      ...differ('weeks', (row.weeks as unknown as typeof v.weeks).map((w) => [w.monday, w.dueAt, w.chasedAt ?? null, w.missed.join()]), v.weeks.map((w) => [w.monday, w.dueAt, w.chasedAt ?? null, w.missed.join()])),
      ...differ('pieces', (row.pieces as Array<{ id: string }>).map((x) => x.id), v.pieces.map((x) => x.id)),
      ...differ('brochure', at(b.distribution?.at), at(v.brochure.distribution?.at)),
      ...differ('training', at(t.held?.at), at(v.training.held?.at)),
      ...differ('closed', at(row.closedAt), at(v.closedAt)),
      ...(await obligationsDiffer(db, workflowId, dutiesObligations({ ...v, fired: [], seq: 0 }, workflowId))),
    ];
  },
};
