// The API of the standing duties (第十五条(一)(二), 第十七条(二)): start a year
// (the yearly Schedule does it too), read the years and a year's media × weeks
// table, and the officials' steps — the propaganda department reports the
// media's "深化改革惠民生" pieces, the reform office (or the propaganda
// department) records the December brochure, the reform office the university
// class and its regular trainings. Steps are Temporal updates run by stepRoute
// (api/steps.ts).
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import type { Db } from '../../common/db';
import { dutiesWorkflowId } from '../../common/ids';
import { PROPAGANDA_ID, REFORM_OFFICE_ID } from '../../common/org';
import { resolvePolicy } from '../../common/policy/resolve';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import type { DutiesYear } from '../../generated/prisma/client';
import * as m from '../../workflows/standingDuties/messages';
import { mediaTable, PHASE_LABELS, shanghaiDay, type DutiesPhase, type Medium, type Piece, type Week } from '../../workflows/standingDuties/state';
import { standingDutiesWorkflow } from '../../workflows/standingDuties/workflow';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import * as s from '../schemas/duties';
import * as v from '../schemas/views';
import { actorOf, IdempotencyHeaders, json, paramsOf, startPeriod, stepRoute, type Step } from '../steps';

const tags = ['常态化工作'];
const answer = v.answers(v.DutiesDetail);
const YearParams = paramsOf('/duties/:year');

describe({
  method: 'post',
  path: '/duties',
  operationId: 'startDuties',
  summary: "Start a year's standing duties by hand (administrators; the yearly schedule does it too)",
  description: 'The current year or the previous one (a catch-up: its past weeks begin and are chased at once). A year that already runs answers 200; 202 when it started but no worker made it ready within 10 s; a finished year 409.',
  label: '启动年度常态化工作（管理员）',
  tags,
  request: { headers: IdempotencyHeaders, body: json(s.StartDutiesBody) },
  responses: { 200: v.ok(v.DutiesStarted, 'Already running'), 201: v.ok(v.DutiesStarted, 'Started'), 202: v.ok(v.DutiesStarted, 'Started; not ready yet (no worker)') },
  errors: [403, 409],
});
describe({ method: 'get', path: '/duties', operationId: 'listDuties', summary: 'The years of standing duties started so far, newest first', label: '历年常态化工作', tags, responses: v.answers(v.DutiesList) });
describe({
  method: 'get',
  path: '/duties/:year',
  operationId: 'getDuties',
  summary: "A year's standing duties: the media × weeks table (article 15 (1)), the brochure (15 (2)), the university class and trainings (17 (2)), open obligations",
  label: '查看年度常态化工作',
  tags,
  request: { params: YearParams },
  responses: answer,
});

const isReformOffice = (c: Caller) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID;

export async function dutiesDetail(db: Db, y: DutiesYear, now = new Date()) {
  const policy = await resolvePolicy(db);
  const [obligations, notices] = await Promise.all([
    db.obligation.findMany({ where: { workflowId: y.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' }, take: 500 }),
    db.notice.groupBy({ by: ['kind'], where: { subjectType: 'duties', subjectId: y.id }, _count: true }),
  ]);
  return {
    ...y,
    phaseLabel: PHASE_LABELS[y.phase as DutiesPhase] ?? y.phase,
    table: mediaTable(y.media as unknown as Medium[], y.weeks as unknown as Week[], y.pieces as unknown as Piece[]),
    obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.duties.warningWindow) })),
    notices: Object.fromEntries(notices.map((n) => [n.kind, n._count])),
  };
}

export function dutiesRouter(db: Db, client: Client): Router {
  const r = Router();

  async function load(req: Request): Promise<DutiesYear> {
    const year = YearParams.parse(req.params).year as string;
    const row = await db.dutiesYear.findUnique({ where: { id: year } });
    if (!row) throw new ApiError('NOT_FOUND', `${year}年度常态化工作尚未启动`);
    return row;
  }

  /** The units named must exist (400 otherwise); the university class takes the city's and the districts' (第十七条(二)). */
  async function checkUnits(ids: string[], path: string): Promise<void> {
    const found = await db.unit.findMany({ where: { id: { in: ids } }, select: { id: true } });
    const stray = ids.filter((id) => !found.some((u) => u.id === id));
    if (stray.length) throw new ApiError('VALIDATION_FAILED', `参训单位有误：${stray.join('、')}`, [{ path: [path], message: `unknown units: ${stray.join(', ')}` }]);
  }

  r.post('/duties', async (req, res) => {
    IdempotencyHeaders.parse({ 'idempotency-key': req.header('idempotency-key') });
    const body = s.StartDutiesBody.parse(req.body ?? {});
    requireAdmin(caller(req));
    const current = Number(shanghaiDay(Date.now()).slice(0, 4));
    const year = body.year ?? current;
    if (year !== current && year !== current - 1) throw new ApiError('VALIDATION_FAILED', `只能启动本年度或上一年度的常态化工作（${year}）`, [{ path: ['year'], message: 'the current or the previous year' }]);
    const workflowId = dutiesWorkflowId(year);
    const policy = await resolvePolicy(db);
    const { status, started, answer } = await startPeriod(client, {
      workflow: standingDutiesWorkflow,
      options: { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy }] },
      ready: m.dutiesReadyUpdate,
      closed: `${year}年度常态化工作已经结束，不能重复启动`,
      answer: async () => {
        const row = await db.dutiesYear.findUnique({ where: { id: String(year) } });
        return row && dutiesDetail(db, row);
      },
    });
    res.status(status).json({ started, year, workflowId, ...(answer && { duties: answer }) });
  });

  r.get('/duties', async (_req, res) => {
    const rows = await db.dutiesYear.findMany({ orderBy: { id: 'desc' }, take: 40, select: { id: true, workflowId: true, phase: true, closedAt: true } });
    res.json({ items: rows.map((y) => ({ ...y, phaseLabel: PHASE_LABELS[y.phase as DutiesPhase] ?? y.phase })) });
  });

  r.get('/duties/:year', async (req, res) => {
    res.json(await dutiesDetail(db, await load(req)));
  });

  /** A step of one year (/duties/:year/…); the answer is the year's detail, read after the step's record. */
  function step<B extends z.ZodType, A>(spec: Omit<Step<DutiesYear, B, A, m.DutiesView>, 'tags' | 'load' | 'workflowId' | 'workflow' | 'responses' | 'answer'>): void {
    stepRoute(r, db, client, {
      ...spec,
      tags,
      load,
      workflowId: (y) => y.workflowId,
      workflow: '该年度常态化工作流程',
      responses: answer,
      answer: async (_view, y) => dutiesDetail(db, await db.dutiesYear.findUniqueOrThrow({ where: { id: y.id } })),
    });
  }

  step({
    path: '/duties/:year/pieces',
    operationId: 'reportDutyPieces',
    summary: "The propaganda department reports the '深化改革惠民生' pieces the media carried: title, date, link or issue (article 15 (1))",
    label: '市委宣传部报送惠民生稿件刊播情况（第十五条（一））',
    status: 201,
    body: s.PiecesBody,
    update: m.reportPiecesUpdate,
    args: (body, c) => {
      if (c.unitId !== PROPAGANDA_ID) throw new ApiError('FORBIDDEN', '惠民生稿件刊播情况由市委宣传部报送');
      return { actor: actorOf(c), pieces: body.pieces };
    },
  });

  step({
    path: '/duties/:year/brochure',
    operationId: 'distributeDutyBrochure',
    summary: "The December distribution of the innovation-experience brochure: date, copies, places (article 15 (2))",
    label: '登记创新改革经验宣传册集中发放（第十五条（二））',
    body: s.BrochureBody,
    update: m.distributeBrochureUpdate,
    args: (body, c) => {
      if (!isReformOffice(c) && c.unitId !== PROPAGANDA_ID) throw new ApiError('FORBIDDEN', '宣传册发放情况由市委改革办或市委宣传部登记');
      return { actor: actorOf(c), ...body };
    },
  });

  step({
    path: '/duties/:year/training/plan',
    operationId: 'planDutyTraining',
    summary: "The reform office plans the year's class at a well-known university: university, dates, participating units of the city and districts (article 17 (2))",
    label: '登记高校专题培训班计划（第十七条（二））',
    body: s.TrainingPlanBody,
    update: m.planTrainingUpdate,
    args: async (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '高校专题培训班由市委改革办组织');
      await checkUnits(body.participantUnitIds, 'participantUnitIds');
      return { actor: actorOf(c), ...body };
    },
  });

  step({
    path: '/duties/:year/training/held',
    operationId: 'holdDutyTraining',
    summary: "The reform office records the university class held (article 17 (2))",
    label: '登记高校专题培训班举办（第十七条（二））',
    body: s.TrainingHeldBody,
    update: m.trainingHeldUpdate,
    args: (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '高校专题培训班由市委改革办组织');
      return { actor: actorOf(c), ...body };
    },
  });

  step({
    path: '/duties/:year/trainings',
    operationId: 'recordDutyTraining',
    summary: "The reform office records one of its regular trainings (article 17 (2) 定期组织专题培训)",
    label: '登记专题培训（第十七条（二））',
    status: 201,
    body: s.RegularTrainingBody,
    update: m.regularTrainingUpdate,
    args: async (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '专题培训由市委改革办登记');
      await checkUnits(body.participantUnitIds, 'participantUnitIds');
      return { actor: actorOf(c), ...body };
    },
  });

  return r;
}
