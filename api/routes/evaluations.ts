// The API of the annual evaluation (第九条 third-party evaluation of the major
// reform items, merged with 第十四条（三） the evaluation of last year's
// innovation experiences): start a year's evaluation by hand (the March
// schedule starts it otherwise), read it, and its steps — the plan, districts'
// self-scores, departments' scores and material, the report, the office's
// review, the city leaders' decision, the follow-ups. Steps are Temporal
// updates run by stepRoute (api/steps.ts): the route checks the caller (403)
// and the body (400), the workflow's validators refuse impossible steps (409).
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { evaluationWorkflowId } from '../../common/ids';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../../common/org';
import { resolvePolicy } from '../../common/policy/resolve';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import * as m from '../../workflows/evaluation/messages';
import { PHASE_LABELS, type EvaluationPhase, type FollowUp } from '../../workflows/evaluation/state';
import { evaluationWorkflow } from '../../workflows/evaluation/workflow';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import * as s from '../schemas/evaluation';
import { answers, ok } from '../schemas/views';
import { actorOf, IdempotencyHeaders, json, paramsOf, startPeriod, stepRoute, type Step } from '../steps';

const tags = ['年度评估'];
const forbid = (message: string): never => {
  throw new ApiError('FORBIDDEN', message);
};
/** Who answers for a unit's scores: its head, reform-office director or deputy, or liaison. */
const UNIT_ROLES = ['HEAD', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'LIAISON'] as const;
const speaksFor = (c: Caller, unitId: string) => isAdmin(c) || (c.unitId === unitId && UNIT_ROLES.some((r) => c.roles.includes(r)));
/** 第九条（四）: the city's main leaders (市委深改组), who decide on the report. */
const isMainLeader = (c: Caller) => c.unitId === LEADERSHIP_ID && c.roles.includes('CITY_LEADER');
const phaseLabel = (phase: string) => PHASE_LABELS[phase as EvaluationPhase] ?? phase;

describe({
  method: 'post',
  path: '/evaluations',
  operationId: 'startEvaluation',
  summary: "Start a year's evaluation by hand (administrators; the March schedule starts it otherwise)",
  description: 'A year that already runs answers 200; 202 when it started but no worker made it ready within 10 s; 409 when that year is finished.',
  label: '手动启动年度评估（管理员）',
  tags,
  request: { headers: IdempotencyHeaders, body: json(s.StartEvaluationBody) },
  responses: { 200: ok(s.EvaluationStarted, 'Already running'), 201: ok(s.EvaluationStarted, 'Started'), 202: ok(s.EvaluationStarted, 'Started; its workflow is not ready yet (no worker)') },
  errors: [409],
});
describe({ method: 'get', path: '/evaluations', operationId: 'listEvaluations', summary: 'The evaluations started so far', label: '年度评估列表', tags, request: {}, responses: answers(s.EvaluationList) });
describe({
  method: 'get',
  path: '/evaluations/:year',
  operationId: 'getEvaluation',
  summary: "A year's evaluation: plan, scores, visits, report, decision, follow-ups and open obligations",
  label: '查看年度评估：方案、评分、实地评估、报告、审定和整改',
  tags,
  request: { params: paramsOf('/evaluations/:year') },
  responses: answers(s.EvaluationDetail),
});

export function evaluationsRouter(db: Db, client: Client): Router {
  const r = Router();

  r.post('/evaluations', async (req, res) => {
    const body = s.StartEvaluationBody.parse(req.body ?? {});
    const c = caller(req);
    requireAdmin(c);
    const year = body.year ?? new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const workflowId = evaluationWorkflowId(year);
    // A year already running (by the schedule or by hand) is found, not started twice.
    const { status, started, answer } = await startPeriod(client, {
      workflow: evaluationWorkflow,
      options: { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy: await resolvePolicy(db), seed: body.seed, startedBy: c.officialId }] },
      ready: m.evaluationReadyUpdate,
      closed: `${year}年度评估已经办结，不能重复启动`,
      answer: async (view) => view,
    });
    res.status(status).json({ started, year, workflowId, ...(answer && { evaluation: answer }) });
  });

  r.get('/evaluations', async (_req, res) => {
    const rows = await db.evaluation.findMany({ orderBy: { year: 'desc' }, take: 50, select: { id: true, year: true, phase: true, startedAt: true, planDueAt: true, policyVersion: true } });
    res.json({ items: rows.map((e) => ({ ...e, phaseLabel: phaseLabel(e.phase) })) });
  });

  r.get('/evaluations/:year', async (req, res) => {
    const row = await load(req);
    const policy = await resolvePolicy(db);
    const now = new Date();
    const obligations = await db.obligation.findMany({ where: { workflowId: row.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } });
    res.json({
      ...row,
      phaseLabel: phaseLabel(row.phase),
      obligations: obligations.map((o) => ({ key: o.key, title: o.title, rule: o.rule, unitId: o.unitId, dueAt: o.dueAt, status: o.status, reason: o.reason, light: trafficLight(o.dueAt, now, policy.evaluation.warningWindow) })),
    });
  });

  async function load(req: Request) {
    const year = s.EvaluationYear.parse(req.params.year);
    const row = await db.evaluation.findUnique({ where: { year } });
    if (!row) throw new ApiError('NOT_FOUND', `${year}年度评估不存在`);
    return row;
  }

  /**
   * The year a step addresses. Its workflow is named by the year: a step does not wait for the
   * year's record (an unknown year is 404 from the workflow then).
   */
  async function yearOf(req: Request): Promise<{ year: number }> {
    return { year: s.EvaluationYear.parse(req.params.year) };
  }

  /** A step of one year's evaluation (/evaluations/:year/…). */
  function step<B extends z.ZodType, A>(spec: Omit<Step<{ year: number }, B, A, m.EvaluationView>, 'tags' | 'load' | 'workflowId' | 'workflow' | 'responses' | 'answer'>): void {
    stepRoute(r, db, client, { ...spec, tags, responses: answers(s.EvaluationView), load: yearOf, workflowId: (e) => evaluationWorkflowId(e.year), workflow: '该年度评估', answer: (v) => v });
  }

  step({
    path: '/evaluations/:year/plan',
    operationId: 'submitEvaluationPlan',
    summary: 'Fix the major items, the third-party evaluator and the plan (reform-office administrators)',
    label: '确定评估事项、第三方评估机构和评估方案（市委改革办）',
    body: s.PlanBody,
    update: m.submitPlanUpdate,
    args: (b, c) => {
      requireAdmin(c);
      const { note, ...plan } = b;
      return { actor: actorOf(c), note, plan };
    },
  });

  step({
    path: '/evaluations/:year/self-scores',
    operationId: 'submitSelfScore',
    summary: "A district's self-scores of last year's experiences and the two it chooses for the visit",
    label: '区县对上年度创新改革经验自评打分并自选实地评估经验',
    body: s.SelfScoreBody,
    update: m.submitSelfScoreUpdate,
    args: (b, c) => {
      const unitId = b.unitId ?? c.unitId;
      if (!speaksFor(c, unitId)) forbid('只能报送本区县的自评');
      return { actor: actorOf(c), unitId, scores: b.scores, chosen: b.chosen, note: b.note };
    },
  });

  step({
    path: '/evaluations/:year/department-scores',
    operationId: 'submitDepartmentScore',
    summary: "A lead department's scores of each district on its experiences, with its written material",
    label: '牵头部门对各区县推广情况评分并报送书面材料',
    body: s.DepartmentScoreBody,
    update: m.submitDepartmentScoreUpdate,
    args: (b, c) => {
      const unitId = b.unitId ?? c.unitId;
      if (!speaksFor(c, unitId)) forbid('只能报送本部门的评分');
      return { actor: actorOf(c), unitId, scores: b.scores, material: b.material, note: b.note };
    },
  });

  step({
    path: '/evaluations/:year/report',
    operationId: 'submitEvaluationReport',
    summary: "File the evaluator's report (reform-office administrators)",
    label: '提交评估报告（市委改革办）',
    body: s.ReportBody,
    update: m.submitEvaluationReportUpdate,
    args: (b, c) => {
      requireAdmin(c);
      return { actor: actorOf(c), ...b };
    },
  });

  step({
    path: '/evaluations/:year/review',
    operationId: 'reviewEvaluationReport',
    summary: 'The reform-office director reviews the report: approved, it goes to the city leaders',
    label: '市委改革办主任审核评估报告',
    body: s.ReviewBody,
    update: m.reviewEvaluationReportUpdate,
    args: (b, c) => {
      if (!(c.unitId === REFORM_OFFICE_ID && c.roles.includes('DIRECTOR'))) forbid('评估报告由市委改革办主任审核');
      return { actor: actorOf(c), approved: b.approved, note: b.note };
    },
  });

  step({
    path: '/evaluations/:year/decision',
    operationId: 'recordEvaluationDecision',
    summary: "The city's main leaders decide on the report and its publication",
    label: '市领导审定评估报告并决定公开方式',
    body: s.DecisionBody,
    update: m.recordDecisionUpdate,
    args: (b, c) => {
      if (!isMainLeader(c)) forbid('评估报告由市主要领导审定');
      return { actor: actorOf(c), publish: b.publish, channels: b.channels, note: b.note };
    },
  });

  step({
    path: '/evaluations/:year/follow-ups/:followUpId',
    operationId: 'closeEvaluationFollowUp',
    summary: "A rectification's plan (its unit) or an accountability's outcome (reform office)",
    label: '报送评估整改落实情况或记录问责结果',
    body: s.FollowUpBody,
    update: m.closeFollowUpUpdate,
    args: async (b, c, e, req) => {
      const row = await db.evaluation.findUnique({ where: { year: e.year }, select: { body: true } });
      const followUpId = String(req.params.followUpId);
      const f = ((row?.body as { followUps?: FollowUp[] } | undefined)?.followUps ?? []).find((x) => x.id === followUpId);
      if (!f) throw new ApiError('NOT_FOUND', `整改（问责）事项 ${followUpId} 不存在`);
      const mayClose = isAdmin(c) || c.unitId === REFORM_OFFICE_ID || (f.kind === 'RECTIFICATION' && speaksFor(c, f.unitId));
      if (!mayClose) forbid(f.kind === 'RECTIFICATION' ? '只能报送本单位的整改情况' : '问责情况由市委改革办记录');
      return { actor: actorOf(c), followUpId: f.id, outcome: b.outcome, note: b.note };
    },
  });

  return r;
}
