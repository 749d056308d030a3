// The API of seeking pilots (第十一条(一)–(四) 争取试点): start a quarter (the
// quarterly Schedule does it too), read quarters and the units' standing
// ledger, and the officials' steps — the reform office issues the quarter's
// leads and its bulletin, districts and departments report their monthly 对接
// and keep their ledger. Steps are Temporal updates run by stepRoute (api/steps.ts).
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { pilotSeekingWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { resolvePolicies, resolvePolicy } from '../../common/policy/resolve';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import type { PilotSeekingQuarter, PilotSeekingRow } from '../../generated/prisma/client';
import * as m from '../../workflows/pilotSeeking/messages';
import { nextQuarter, PHASE_LABELS, previousQuarter, quarterOf, ROW_STATUS_LABELS, type RowStatus, type SeekingPhase } from '../../workflows/pilotSeeking/state';
import { pilotSeekingWorkflow } from '../../workflows/pilotSeeking/workflow';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { pageArgs, pageOf, pageQuery } from '../pagination';
import * as s from '../schemas/pilotSeeking';
import * as v from '../schemas/views';
import { actorOf, IdempotencyHeaders, json, paramsOf, startPeriod, stepRoute, type Step } from '../steps';

const tags = ['争取试点'];
const answer = v.answers(v.SeekingDetail);
const QuarterParams = paramsOf('/pilot-seeking/:quarter');
const RowParams = paramsOf('/pilot-seeking/:quarter/rows/:rowId');
const LedgerQuery = z.object({ unitId: z.string().min(1).max(100).optional(), status: z.enum(['OPEN', 'WON', 'DROPPED']).optional(), ...pageQuery(100, 500) }).strict();

describe({
  method: 'post',
  path: '/pilot-seeking',
  operationId: 'startPilotSeeking',
  summary: "Start a quarter's seeking of pilots by hand (administrators; the quarterly schedule does it too)",
  description: 'The current quarter, the next, or the previous one (a catch-up: its months are past, so it goes straight to its bulletin). A quarter that already runs answers 200; 202 when it started but no worker made it ready within 10 s; a finished quarter 409.',
  label: '启动季度争取试点工作（管理员）',
  tags,
  request: { headers: IdempotencyHeaders, body: json(s.StartSeekingBody) },
  responses: { 200: v.ok(v.SeekingStarted, 'Already running'), 201: v.ok(v.SeekingStarted, 'Started'), 202: v.ok(v.SeekingStarted, 'Started; not ready yet (no worker)') },
  errors: [403, 409],
});
describe({ method: 'get', path: '/pilot-seeking', operationId: 'listPilotSeeking', summary: 'The quarters started so far, newest first', label: '历季度争取试点工作', tags, responses: v.answers(v.SeekingList) });
describe({
  method: 'get',
  path: '/pilot-seeking/ledger',
  operationId: 'getPilotSeekingLedger',
  summary: "The units' standing ledger of pilots sought (article 11 (3)): every row, its latest state, by unit and status, a page at a time (`limit`, `cursor`)",
  label: '查看争取试点台账（第十一条（三））',
  tags,
  request: { query: LedgerQuery },
  responses: v.answers(v.SeekingLedger),
});
describe({
  method: 'get',
  path: '/pilot-seeking/:quarter',
  operationId: 'getPilotSeeking',
  summary: "A quarter's seeking of pilots: its leads, monthly reports, ledger rows, bulletin and open obligations",
  label: '查看季度争取试点情况',
  tags,
  request: { params: QuarterParams },
  responses: answer,
});

const isReformOffice = (c: Caller) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID;

const rowView = (r: PilotSeekingRow) => ({ ...r, statusLabel: ROW_STATUS_LABELS[r.status as RowStatus] ?? r.status });

export async function seekingDetail(db: Db, q: PilotSeekingQuarter, now = new Date()) {
  const policy = await resolvePolicy(db);
  const [rows, obligations, notices] = await Promise.all([
    // The rows this quarter carries, and those opened in it that a later quarter carries on.
    db.pilotSeekingRow.findMany({ where: { OR: [{ workflowId: q.workflowId }, { openedIn: q.id }] }, orderBy: { id: 'asc' } }),
    db.obligation.findMany({ where: { workflowId: q.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
    db.notice.groupBy({ by: ['kind'], where: { subjectType: 'pilotSeeking', subjectId: q.id }, _count: true }),
  ]);
  return {
    ...q,
    phaseLabel: PHASE_LABELS[q.phase as SeekingPhase] ?? q.phase,
    rows: rows.map(rowView),
    obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.pilotSeeking.warningWindow) })),
    notices: Object.fromEntries(notices.map((n) => [n.kind, n._count])),
  };
}

export function pilotSeekingRouter(db: Db, client: Client): Router {
  const r = Router();

  async function load(req: Request): Promise<PilotSeekingQuarter> {
    const quarter = QuarterParams.parse(req.params).quarter as string;
    const row = await db.pilotSeekingQuarter.findUnique({ where: { id: quarter } });
    if (!row) throw new ApiError('NOT_FOUND', `${quarter}争取试点工作尚未启动`);
    return row;
  }

  /** 责任领导 must be an active official of the caller's unit (400 otherwise). */
  async function checkLeader(leaderId: string | undefined, c: Caller): Promise<void> {
    if (!leaderId) return;
    const o = await db.official.findUnique({ where: { id: leaderId }, select: { unitId: true, active: true } });
    if (!o || !o.active || o.unitId !== c.unitId) throw new ApiError('VALIDATION_FAILED', '责任领导须为本单位在职人员', [{ path: ['leaderId'], message: 'an active official of your unit' }]);
  }

  r.post('/pilot-seeking', async (req, res) => {
    IdempotencyHeaders.parse({ 'idempotency-key': req.header('idempotency-key') });
    const body = s.StartSeekingBody.parse(req.body ?? {});
    requireAdmin(caller(req));
    const current = quarterOf(Date.now());
    const quarter = body.quarter ?? current;
    if (![previousQuarter(current), current, nextQuarter(current)].includes(quarter)) {
      throw new ApiError('VALIDATION_FAILED', `只能启动上季度、本季度或下季度的争取试点工作（${quarter}）`, [{ path: ['quarter'], message: 'the previous, current or next quarter' }]);
    }
    const workflowId = pilotSeekingWorkflowId(quarter);
    const { policy, unitPolicies } = await resolvePolicies(db);
    const { status, started, answer } = await startPeriod(client, {
      workflow: pilotSeekingWorkflow,
      options: { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, quarter, policy, unitPolicies }] },
      ready: m.seekingReadyUpdate,
      closed: `${quarter}争取试点工作已经通报结束，不能重复启动`,
      answer: async () => {
        const row = await db.pilotSeekingQuarter.findUnique({ where: { id: quarter } });
        return row && seekingDetail(db, row);
      },
    });
    res.status(status).json({ started, quarter, workflowId, ...(answer && { pilotSeeking: answer }) });
  });

  r.get('/pilot-seeking', async (_req, res) => {
    const rows = await db.pilotSeekingQuarter.findMany({ orderBy: { id: 'desc' }, take: 40, select: { id: true, workflowId: true, phase: true, leadsIssuedAt: true, closedAt: true } });
    res.json({ items: rows.map((q) => ({ ...q, phaseLabel: PHASE_LABELS[q.phase as SeekingPhase] ?? q.phase })) });
  });

  r.get('/pilot-seeking/ledger', async (req, res) => {
    const q = LedgerQuery.parse(req.query);
    const rows = await db.pilotSeekingRow.findMany({ where: { ...(q.unitId ? { unitId: q.unitId } : {}), ...(q.status ? { status: q.status } : {}) }, orderBy: [{ unitId: 'asc' }, { id: 'asc' }], ...pageArgs(q) });
    const { page, nextCursor } = pageOf(rows, q.limit);
    res.json({ items: page.map(rowView), nextCursor });
  });

  r.get('/pilot-seeking/:quarter', async (req, res) => {
    res.json(await seekingDetail(db, await load(req)));
  });

  /** A step of one quarter (/pilot-seeking/:quarter/…); the answer is the quarter's detail, read after the step's record. */
  function step<B extends z.ZodType, A>(spec: Omit<Step<PilotSeekingQuarter, B, A, m.SeekingView>, 'tags' | 'load' | 'workflowId' | 'workflow' | 'responses' | 'answer'>): void {
    stepRoute(r, db, client, {
      ...spec,
      tags,
      load,
      workflowId: (q) => q.workflowId,
      workflow: '该季度争取试点流程',
      responses: answer,
      answer: async (_view, q) => seekingDetail(db, await db.pilotSeekingQuarter.findUniqueOrThrow({ where: { id: q.id } })),
    });
  }

  step({
    path: '/pilot-seeking/:quarter/leads',
    operationId: 'issuePilotSeekingLeads',
    summary: "The reform office sorts the quarter's pilot leads and issues each to the unit that takes charge of it (article 11 (2))",
    label: '市委改革办交办试点线索（第十一条（二））',
    body: s.LeadsBody,
    update: m.issueLeadsUpdate,
    args: (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '试点线索由市委改革办交办');
      return { actor: actorOf(c), leads: body.leads };
    },
  });

  step({
    path: '/pilot-seeking/:quarter/reports',
    operationId: 'reportPilotSeekingContact',
    summary: "A district's or department's report of the month's contacts with national and provincial bodies (article 11 (1))",
    label: '区县、市直部门报送对接争取情况（第十一条（一））',
    status: 201,
    body: s.ContactReportBody,
    update: m.contactReportUpdate,
    // The workflow checks that the caller's unit is a district or department (409 otherwise).
    args: (body, c) => ({ actor: actorOf(c), ...body }),
  });

  step({
    path: '/pilot-seeking/:quarter/rows',
    operationId: 'addPilotSeekingRow',
    summary: "A unit adds a pilot it seeks to its ledger: lead unit (its own), participants, responsible leader, progress (article 11 (3))",
    label: '争取台账新增试点（第十一条（三））',
    status: 201,
    body: s.RowBody,
    update: m.addRowUpdate,
    args: async (body, c) => {
      await checkLeader(body.leaderId, c);
      return { actor: actorOf(c), ...body };
    },
  });

  step({
    path: '/pilot-seeking/:quarter/rows/:rowId',
    operationId: 'updatePilotSeekingRow',
    summary: "A unit updates a row of its ledger, or closes it as won (the office then registers the pilot) or dropped with the reason (article 11 (3))",
    label: '更新争取台账（第十一条（三））',
    body: s.RowUpdateBody,
    update: m.updateRowUpdate,
    args: async (body, c, q, req) => {
      const rowId = RowParams.parse(req.params).rowId as string;
      const row = await db.pilotSeekingRow.findUnique({ where: { id: rowId }, select: { unitId: true, workflowId: true, quarter: true } });
      if (!row) throw new ApiError('NOT_FOUND', `争取台账中没有“${rowId}”`);
      if (row.unitId !== c.unitId) throw new ApiError('FORBIDDEN', '只能更新本单位争取台账');
      // A row a later quarter took over is updated there: one quarter at a time writes it.
      if (row.workflowId !== q.workflowId) throw new ApiError('CONFLICT', `该试点已转入${row.quarter}争取台账，请在${row.quarter}更新`);
      await checkLeader(body.leaderId, c);
      return { actor: actorOf(c), rowId, ...body };
    },
  });

  step({
    path: '/pilot-seeking/:quarter/bulletin',
    operationId: 'issuePilotSeekingBulletin',
    summary: "After the quarter the reform office issues its bulletin, composed from the quarter's reports and ledgers, to every district and department (article 11 (4))",
    label: '市委改革办印发季度通报（第十一条（四））',
    body: s.BulletinBody,
    update: m.issueBulletinUpdate,
    args: (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '季度通报由市委改革办印发');
      return { actor: actorOf(c), note: body.note };
    },
  });

  return r;
}
