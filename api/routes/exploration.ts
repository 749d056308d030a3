// The API of the yearly innovation items (第十二条 激励探索创新): start a year
// (the January Schedule does it too), read it, and the officials' steps —
// districts and departments submit items, each special group's leader signs
// its first review, the reform office reviews, the director approves, the
// implementing units report monthly progress, the office comments and adjusts
// the items. Steps are Temporal updates run by stepRoute (api/steps.ts).
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import type { Db } from '../../common/db';
import { explorationWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { resolvePolicy } from '../../common/policy/resolve';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import type { ExplorationYear } from '../../generated/prisma/client';
import * as m from '../../workflows/exploration/messages';
import { PHASE_LABELS, trackedIn, type ExplorationItem, type ExplorationPhase } from '../../workflows/exploration/state';
import { explorationWorkflow } from '../../workflows/exploration/workflow';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import * as s from '../schemas/exploration';
import * as v from '../schemas/views';
import { actorOf, IdempotencyHeaders, json, paramsOf, startPeriod, stepRoute, type Step } from '../steps';

const tags = ['探索创新改革事项'];
const answer = v.answers(v.ExplorationDetail);

describe({
  method: 'post',
  path: '/exploration',
  operationId: 'startExploration',
  summary: "Start a year's innovation items by hand: the January notice goes out (administrators; the January schedule does it too)",
  description: 'A year that already runs answers 200; 202 when it started but no worker made it ready within 10 s; a finished year 409.',
  label: '启动年度探索创新改革事项提报（管理员）',
  tags,
  request: { headers: IdempotencyHeaders, body: json(s.StartExplorationBody) },
  responses: { 200: v.ok(v.ExplorationStarted, 'Already running'), 201: v.ok(v.ExplorationStarted, 'Started'), 202: v.ok(v.ExplorationStarted, 'Started; not ready yet (no worker)') },
  errors: [409],
});
describe({ method: 'get', path: '/exploration', operationId: 'listExplorations', summary: 'The years started so far', label: '历年探索创新改革事项', tags, responses: v.answers(v.ExplorationList) });
describe({
  method: 'get',
  path: '/exploration/:year',
  operationId: 'getExploration',
  summary: "A year's innovation items: each item's reviews, approval and monthly progress, the tracking rounds, open obligations",
  label: '查看年度探索创新改革事项追踪台账',
  tags,
  request: { params: paramsOf('/exploration/:year') },
  responses: answer,
});

const isReformOffice = (c: Caller) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID;
const currentYear = () => String(new Date(Date.now() + 8 * 3600_000).getUTCFullYear());

export async function explorationDetail(db: Db, row: ExplorationYear, now = new Date()) {
  const policy = await resolvePolicy(db);
  const [items, obligations, notices] = await Promise.all([
    db.explorationItem.findMany({ where: { year: row.id }, orderBy: { submittedAt: 'asc' } }),
    db.obligation.findMany({ where: { workflowId: row.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
    db.notice.groupBy({ by: ['kind'], where: { subjectType: 'exploration', subjectId: row.id }, _count: true }),
  ]);
  const latest = (row.rounds as Array<{ round: number }>).at(-1)?.round;
  return {
    ...row,
    phaseLabel: PHASE_LABELS[row.phase as ExplorationPhase] ?? row.phase,
    items: items.map((i) => ({ ...i, tracked: latest !== undefined && trackedIn(i as unknown as ExplorationItem, latest) })),
    obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.exploration.warningWindow) })),
    notices: Object.fromEntries(notices.map((n) => [n.kind, n._count])),
  };
}

export function explorationRouter(db: Db, client: Client): Router {
  const r = Router();

  async function load(req: Request): Promise<ExplorationYear> {
    const year = paramsOf('/exploration/:year').parse(req.params).year as string;
    const row = await db.explorationYear.findUnique({ where: { id: year } });
    if (!row) throw new ApiError('NOT_FOUND', `${year}年度探索创新改革事项尚未启动`);
    return row;
  }

  r.post('/exploration', async (req, res) => {
    const body = s.StartExplorationBody.parse(req.body ?? {});
    requireAdmin(caller(req));
    const year = body.year ?? currentYear();
    // 第十二条(一): the January call of this year (or, late in the year, of the next).
    if (Number(year) < Number(currentYear()) || Number(year) > Number(currentYear()) + 1) {
      throw new ApiError('VALIDATION_FAILED', `只能启动今年或明年的探索创新改革事项（${year}）`, [{ path: ['year'], message: 'this year or the next' }]);
    }
    const workflowId = explorationWorkflowId(year);
    const { status, started, answer } = await startPeriod(client, {
      workflow: explorationWorkflow,
      options: { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy: await resolvePolicy(db) }] },
      ready: m.explorationReadyUpdate,
      closed: `${year}年度探索创新改革事项已经结束，不能重复启动`,
      answer: async () => {
        const row = await db.explorationYear.findUnique({ where: { id: year } });
        return row && explorationDetail(db, row);
      },
    });
    res.status(status).json({ started, year, workflowId, ...(answer && { exploration: answer }) });
  });

  r.get('/exploration', async (_req, res) => {
    const rows = await db.explorationYear.findMany({ orderBy: { id: 'desc' }, take: 50, select: { id: true, workflowId: true, phase: true, approvedAt: true, closedAt: true } });
    res.json({ items: rows.map((y) => ({ ...y, phaseLabel: PHASE_LABELS[y.phase as ExplorationPhase] ?? y.phase })) });
  });

  r.get('/exploration/:year', async (req, res) => {
    res.json(await explorationDetail(db, await load(req)));
  });

  /** A step of one year's items (/exploration/:year/…); the answer is the year's detail, read after the step's record. */
  function step<B extends z.ZodType, A>(spec: Omit<Step<ExplorationYear, B, A, m.ExplorationView>, 'tags' | 'load' | 'workflowId' | 'workflow' | 'responses' | 'answer'>): void {
    stepRoute(r, db, client, {
      ...spec,
      tags,
      load,
      workflowId: (y) => y.workflowId,
      workflow: '该年度探索创新改革事项流程',
      responses: answer,
      answer: async (_view, y) => explorationDetail(db, await db.explorationYear.findUniqueOrThrow({ where: { id: y.id } })),
    });
  }

  step({
    path: '/exploration/:year/items',
    operationId: 'submitExplorationItem',
    summary: 'A district or city department submits an innovation item to the special group of its field (第十二条(一))',
    label: '区县、市直部门提报探索创新改革事项',
    status: 201,
    body: s.ItemBody,
    update: m.submitItemUpdate,
    // The workflow checks that the caller's unit is a district or department (409 otherwise).
    args: (body, c) => ({ actor: actorOf(c), ...body }),
  });

  step({
    path: '/exploration/:year/group-reviews',
    operationId: 'reviewExplorationItemsByGroup',
    summary: "A special group's first review of its items, signed by the group's leader (第十二条(二))",
    label: '市专项小组初审（组长审核签字）',
    body: s.GroupReviewBody,
    update: m.groupReviewUpdate,
    args: (body, c) => {
      const groupId = body.groupId ?? c.unitId;
      // 经市专项小组组长审核签字: only the group's leader signs its review.
      if (groupId !== c.unitId || !c.roles.includes('HEAD')) throw new ApiError('FORBIDDEN', '初审须由本专项小组组长审核签字');
      return { actor: actorOf(c), groupId, decisions: body.decisions };
    },
  });

  step({
    path: '/exploration/:year/office-review',
    operationId: 'reviewExplorationItemsByOffice',
    summary: 'The reform office reviews the items the groups passed and submits them to its director (第十二条(二))',
    label: '市委改革办复审',
    body: s.ReviewBody,
    update: m.officeReviewUpdate,
    args: (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '复审由市委改革办办理');
      return { actor: actorOf(c), decisions: body.decisions };
    },
  });

  step({
    path: '/exploration/:year/approval',
    operationId: 'approveExplorationItems',
    summary: "The reform office's director approves the reviewed items; the bulletin goes to every submitter (第十二条(二))",
    label: '市委改革办主任审定（简报反馈）',
    body: s.ReviewBody,
    update: m.approveItemsUpdate,
    args: (body, c) => {
      if (c.unitId !== REFORM_OFFICE_ID || !c.roles.includes('DIRECTOR')) throw new ApiError('FORBIDDEN', '审定由市委改革办主任办理');
      return { actor: actorOf(c), decisions: body.decisions };
    },
  });

  step({
    path: '/exploration/:year/progress',
    operationId: 'reportExplorationProgress',
    summary: "An implementing unit's monthly progress on each of its approved items (第十二条(三) 一月一汇总)",
    label: '报送探索创新改革事项月度进展',
    body: s.ProgressBody,
    update: m.reportProgressUpdate,
    // The workflow checks the items are the caller's unit's approved ones (409 otherwise).
    args: (body, c) => ({ actor: actorOf(c), round: body.round, reports: body.reports }),
  });

  step({
    path: '/exploration/:year/comments',
    operationId: 'commentExplorationRound',
    summary: "The reform office's comment on a month's progress, sent to every implementing unit (第十二条(三) 一月一点评)",
    label: '市委改革办月度点评',
    body: s.CommentBody,
    update: m.commentRoundUpdate,
    args: (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '点评由市委改革办办理');
      return { actor: actorOf(c), round: body.round, text: body.text };
    },
  });

  // 第十二条(三) 调整补充完善: the office adds items to the tracking or withdraws some, with its reason.
  const officeAdjusts = (c: Caller) => {
    if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '事项调整由市委改革办办理');
    return actorOf(c);
  };
  step({
    path: '/exploration/:year/added-items',
    operationId: 'addExplorationItem',
    summary: 'The reform office adds an item to the tracking, implemented by the unit it names; reports are owed from the next round (第十二条(三) 调整补充)',
    label: '市委改革办补充探索创新改革事项',
    status: 201,
    body: s.AddItemBody,
    update: m.adjustItemsUpdate,
    args: ({ reason, ...item }, c) => ({ actor: officeAdjusts(c), add: [item], withdraw: [], reason }),
  });
  step({
    path: '/exploration/:year/withdrawals',
    operationId: 'withdrawExplorationItems',
    summary: 'The reform office withdraws items from the tracking; their reports are owed no more (第十二条(三) 调整)',
    label: '市委改革办撤销探索创新改革事项',
    body: s.WithdrawItemsBody,
    update: m.adjustItemsUpdate,
    args: (body, c) => ({ actor: officeAdjusts(c), add: [], withdraw: body.itemIds, reason: body.reason }),
  });

  step({
    path: '/exploration/:year/close',
    operationId: 'closeExplorationPhase',
    summary: 'Close the submission or the group review before its deadline (administrators)',
    label: '提前截止提报或初审（管理员）',
    body: s.ClosePhaseBody,
    update: m.closePhaseUpdate,
    args: (body, c) => {
      requireAdmin(c);
      return { actor: actorOf(c), phase: body.phase, note: body.note };
    },
  });

  return r;
}
