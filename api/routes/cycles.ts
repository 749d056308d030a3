// The API of the monthly 六个一 supervision cycle (第六条–第八条, 第十条):
// load the year's roadmap and indicator set, start a month by hand, report
// progress, record inspections and sign their issue lists, enter or override
// scores, rate the inspection teams each quarter, publish the ranking, read
// the ranking with its explanations, download the briefing, file the
// diagnosis report. Steps that change a running cycle are Temporal updates
// whose validators refuse impossible steps (409); the route checks the caller
// (403) and the body (400). The audit middleware records every such request.
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { cycleWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import { Prisma, type Cycle } from '../../generated/prisma/client';
import * as m from '../../workflows/cycle/messages';
import { DEFAULT_INDICATORS, PHASE_LABELS, shanghaiMonth, type CyclePhase } from '../../workflows/cycle/state';
import { cycleWorkflow } from '../../workflows/cycle/workflow';
import { NOTICE_KIND_LABELS, registerTimelineLabels } from '../admin/labels';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { resolvePolicy } from '../../common/policy/resolve';
import * as s from '../schemas/cycles';
import * as v from '../schemas/views';

const tags = ['六个一督导'];
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const paramsOf = (path: string) => z.object(Object.fromEntries([...path.matchAll(/:(\w+)/g)].map(([, name]) => [name, z.string().min(1)])));
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().max(200).optional() });
type Responses = Parameters<typeof describe>[0]['responses'];
function post(path: string, summary: string, body: z.ZodType, method: 'post' | 'put' = 'post', responses?: Responses): void {
  describe({ method, path, summary, tags, request: { params: paramsOf(path), headers: IdempotencyHeaders, body: json(body) }, responses });
}
function get(path: string, summary: string, html = false, responses?: Responses): void {
  describe({
    method: 'get',
    path,
    summary,
    tags,
    request: { params: paramsOf(path) },
    ...(html ? { responses: { 200: { description: '可打印的 HTML', content: { 'text/html': { schema: z.string() } } } } } : { responses }),
  });
}

// ---- OpenAPI ---------------------------------------------------------------------------

post('/cycles/roadmap/:year', '载入年度路线图、时间表（管理员，整体替换）', s.RoadmapBody, 'put');
get('/cycles/roadmap/:year', '查看年度路线图、时间表');
post('/cycles/indicators/:year', '载入年度督导评价指标体系（管理员）', s.IndicatorSetBody, 'put');
get('/cycles/indicators/:year', '查看年度督导评价指标体系', false, v.answers(v.IndicatorSet));
post('/cycles', '手动启动某月“六个一”督导（管理员）', s.StartCycleBody);
describe({ method: 'get', path: '/cycles', summary: '历月督导列表（阶段、排名发布时间）', tags, request: { query: z.object({ year: z.string().optional() }) }, responses: v.answers(v.CycleList) });
get('/cycles/:month', '查看某月督导进展：调度报送、督查、待办义务', false, v.answers(v.CycleDetail));
post('/cycles/:month/reports', '区县或专项小组报送月度调度情况（一月一调度）', s.ReportBody, 'post', v.answers(v.CycleReportAnswer));
post('/cycles/:month/inspections', '督查组登记督查及问题清单（一月一督查，“1+1+n”）', s.InspectionBody, 'post', v.answers(v.CycleInspectionAnswer, 201));
post('/cycles/:month/inspections/:inspectionId/sign', '问题清单签字确认（被督查单位负责同志、督查组负责人各签一次）', s.SignBody, 'post', v.answers(v.CycleInspectionAnswer));
post('/cycles/:month/scores', '督查组评分；管理员调整任一评分（须说明理由）', s.ScoreBody, 'post', v.answers(v.CycleScoreAnswer, 201));
post('/cycles/:month/team-ratings', '区县党政主要负责同志季度对市督查组打分', s.TeamRatingBody, 'post', v.answers(v.CycleTeamRatingAnswer, 201));
post('/cycles/:month/close', '结束评分并发布排名（管理员）', s.CloseBody, 'post', v.answers(v.CycleRanking));
get('/cycles/:month/ranking', '查看月度排名、各项得分依据和年度累计', false, v.answers(v.CycleRanking));
get('/cycles/:month/briefing', '下载月度《督导情况通报》（可打印）', true);
post('/cycles/:month/diagnoses/:unitId/report', '会诊组提交调研会诊书面报告（一月一会诊）', s.DiagnosisBody, 'post', v.answers(v.CycleDiagnosisAnswer));

registerTimelineLabels('cycleWorkflow', {
  family: 'cycle',
  title: '“六个一”月度督导流程',
  rule: '第六条',
  updates: {
    submitReport: { label: '报送月度调度情况', rule: '第六条（一）', describe: (a) => a?.unitId },
    createInspection: { label: '登记督查及问题清单', rule: '第六条（二）', describe: (a) => (a ? `${a.teamName}：${a.unitId}，问题${a.issues?.length ?? 0}项` : undefined) },
    signInspection: { label: '问题清单签字确认', rule: '第六条（二）', describe: (a) => (a ? (a.party === 'UNIT' ? '被督查单位' : '督查组负责人') : undefined) },
    enterScore: { label: '评分', rule: '第六条（三）', describe: (a) => (a ? `${a.unitId} ${a.indicatorCode} ${a.value}分${a.override ? `（调整：${a.reason}）` : ''}` : undefined) },
    rateTeam: { label: '季度对督查组打分', rule: '第六条（三）', describe: (a) => a?.teamName },
    closeScoring: { label: '发布排名', rule: '第六条（三）' },
    fileDiagnosis: { label: '提交会诊报告', rule: '第六条（六）', describe: (a) => a?.unitId },
  },
  activities: {
    sendCycleNotice: { label: '发送通知', describe: (a) => a?.kind && (CYCLE_NOTICE_LABELS[a.kind] ?? a.kind) },
    recordChange: { label: '记录督导状态、排名、通报与待办义务', rule: '第六条' },
  },
  states: PHASE_LABELS,
});

// The cycle's notice kinds in the shared instrument map (only keys absent from it, never overwriting another family's).
const CYCLE_NOTICE_LABELS: Record<string, string> = {
  DISPATCH: '月度调度通知',
  REPORT_REMINDER: '调度报送提醒',
  REPORT_CHASE: '调度催报',
  INSPECTION: '督查通知',
  ISSUE_LIST: '问题清单',
  TEAM_RATING_CALL: '季度测评通知',
  BRIEFING: '督导情况通报',
  MEETING: '通报会通知',
  PUBLICITY: '宣传推介函',
  DIAGNOSIS_VISIT: '会诊通知',
  DIAGNOSIS_CHASE: '会诊报告催报',
  DIAGNOSIS_REPORT: '会诊报告',
};
for (const [kind, label] of Object.entries(CYCLE_NOTICE_LABELS)) NOTICE_KIND_LABELS[kind] ??= label;

// ---- helpers ------------------------------------------------------------------------------

/** Runs an update; the Idempotency-Key header becomes the update id. Validator refusals → 409. */
async function runUpdate<A>(client: Client, workflowId: string, def: UpdateDefinition<m.CycleView, [A]>, args: A, req: Request): Promise<m.CycleView> {
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(def, { args: [args], updateId: req.header('idempotency-key') || undefined });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new ApiError('CONFLICT', (err.cause as Error | undefined)?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError) throw new ApiError('CONFLICT', '本月督导流程已结束，不能再办理');
    throw err;
  }
}

const actorOf = (c: Caller): m.Actor => ({ officialId: c.officialId, unitId: c.unitId });
const isReformOffice = (c: Caller) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID;
const isInspector = (c: Caller) => isAdmin(c) || (c.unitId === REFORM_OFFICE_ID && c.roles.includes('INSPECTOR'));
/** 负责同志 of an inspected unit (第六条（二）). */
const RESPONSIBLE_ROLES = ['HEAD', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'LEADER_IN_CHARGE', 'LIAISON'] as const;

export async function cycleDetail(db: Db, cycle: Cycle, now = new Date()) {
  const policy = await resolvePolicy(db);
  const [reports, inspections, obligations, diagnoses, notices] = await Promise.all([
    db.cycleReport.findMany({ where: { cycleId: cycle.id }, orderBy: { unitId: 'asc' } }),
    db.cycleInspection.findMany({ where: { cycleId: cycle.id }, orderBy: { createdAt: 'asc' } }),
    db.obligation.findMany({ where: { workflowId: cycle.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
    db.cycleDiagnosis.findMany({ where: { cycleId: cycle.id } }),
    db.notice.groupBy({ by: ['kind'], where: { subjectType: 'cycle', subjectId: cycle.id }, _count: true }),
  ]);
  const { briefingHtml, ...rest } = cycle;
  return {
    ...rest,
    phaseLabel: PHASE_LABELS[cycle.phase as CyclePhase] ?? cycle.phase,
    briefingAvailable: !!briefingHtml,
    reports,
    inspections,
    diagnoses,
    obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.cycle.warningWindow) })),
    notices: Object.fromEntries(notices.map((n) => [n.kind, n._count])),
  };
}

export async function cycleRanking(db: Db, cycle: Cycle) {
  const rows = await db.cycleScore.findMany({ where: { cycleId: cycle.id }, orderBy: [{ rank: 'asc' }, { unitId: 'asc' }] });
  const units = await db.unit.findMany({ where: { id: { in: rows.map((r) => r.unitId) } }, select: { id: true, name: true } });
  const name = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const row = (r: (typeof rows)[number]) => ({
    unitId: r.unitId,
    unitName: name(r.unitId),
    rank: r.rank,
    total: r.total,
    tieNote: r.tieNote,
    items: r.items,
    annual: { monthsCounted: r.monthsCounted, average: r.annualAverage, figure: r.annualFigure },
  });
  const b = (cycle.briefing ?? {}) as { speakers?: unknown; tieRule?: string; improved?: string[] };
  return {
    month: cycle.id,
    rankedAt: cycle.rankedAt,
    tieRule: b.tieRule,
    districts: rows.filter((r) => r.unitKind === 'DISTRICT').map(row),
    specialGroups: rows.filter((r) => r.unitKind === 'SPECIAL_GROUP').map(row),
    speakers: b.speakers,
    improved: b.improved,
    teams: cycle.teamRanking,
  };
}

// ---- routes ----------------------------------------------------------------------------------

export function cyclesRouter(db: Db, client: Client): Router {
  const r = Router();

  async function load(req: Request): Promise<Cycle> {
    const month = s.MonthParam.parse(String(req.params.month));
    const cycle = await db.cycle.findUnique({ where: { id: month } });
    if (!cycle) throw new ApiError('NOT_FOUND', `${month} 的督导尚未启动`);
    return cycle;
  }

  async function checkOfficials(ids: string[]): Promise<void> {
    const found = await db.official.count({ where: { id: { in: ids }, active: true } });
    if (found !== new Set(ids).size) throw new ApiError('VALIDATION_FAILED', '人员不存在', [{ path: ['officialId'], message: 'unknown official' }]);
  }

  async function checkUnits(ids: string[]): Promise<void> {
    const found = await db.unit.count({ where: { id: { in: ids } } });
    if (found !== new Set(ids).size) throw new ApiError('VALIDATION_FAILED', '单位不存在', [{ path: ['unitId'], message: 'unknown unit' }]);
  }

  // -- the year's data

  r.put('/cycles/roadmap/:year', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    const body = s.RoadmapBody.parse(req.body ?? {});
    requireAdmin(caller(req));
    await checkUnits([...new Set(body.tasks.map((t) => t.unitId))]);
    await db.$transaction([
      db.cycleRoadmapTask.deleteMany({ where: { year } }),
      db.cycleRoadmapTask.createMany({ data: body.tasks.map((t) => ({ year, code: t.code, unitId: t.unitId, title: t.title, milestones: t.milestones as Prisma.InputJsonValue })) }),
    ]);
    res.json({ year, tasks: await db.cycleRoadmapTask.findMany({ where: { year }, orderBy: [{ unitId: 'asc' }, { code: 'asc' }] }) });
  });

  r.get('/cycles/roadmap/:year', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    res.json({ year, tasks: await db.cycleRoadmapTask.findMany({ where: { year }, orderBy: [{ unitId: 'asc' }, { code: 'asc' }] }) });
  });

  r.put('/cycles/indicators/:year', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    const body = s.IndicatorSetBody.parse(req.body ?? {});
    const c = caller(req);
    requireAdmin(c);
    const row = await db.cycleIndicatorSet.upsert({
      where: { year },
      create: { year, body: body.indicators as Prisma.InputJsonValue, createdBy: c.officialId },
      update: { body: body.indicators as Prisma.InputJsonValue, createdBy: c.officialId },
    });
    res.json({ year, indicators: row.body, updatedAt: row.updatedAt, note: '新指标体系自下一次启动的月度督导起适用' });
  });

  r.get('/cycles/indicators/:year', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    const row = await db.cycleIndicatorSet.findUnique({ where: { year } });
    res.json({ year, indicators: row?.body ?? DEFAULT_INDICATORS, isDefault: !row });
  });

  // -- a month

  r.post('/cycles', async (req, res) => {
    const body = s.StartCycleBody.parse(req.body ?? {});
    const c = caller(req);
    requireAdmin(c);
    const month = body.month ?? shanghaiMonth(new Date());
    const workflowId = cycleWorkflowId(month);
    const existed = await db.cycle.findUnique({ where: { id: month } });
    const policy = await resolvePolicy(db);
    try {
      await client.workflow.start(cycleWorkflow, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ version: 1, month, policy, seed: body.seed, startedBy: c.officialId }],
        // A month already running (by the schedule or by hand) is found, not started twice.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') throw new ApiError('CONFLICT', `${month} 的督导已经完成，不能重复启动`);
      throw err;
    }
    // The workflow records the cycle as its first step; wait briefly so the answer shows it.
    let cycle = existed;
    for (let i = 0; i < 50 && !cycle; i++) {
      await new Promise((r) => setTimeout(r, 200));
      cycle = await db.cycle.findUnique({ where: { id: month } });
    }
    if (!cycle) return void res.status(202).json({ month, workflowId, started: true });
    res.status(existed ? 200 : 201).json({ started: !existed, cycle: await cycleDetail(db, cycle) });
  });

  r.get('/cycles', async (req, res) => {
    const year = req.query.year === undefined ? undefined : s.YearParam.parse(req.query.year);
    const rows = await db.cycle.findMany({
      where: year ? { year } : {},
      orderBy: { id: 'desc' },
      take: 120,
      select: { id: true, workflowId: true, phase: true, startedAt: true, reportDueAt: true, scoringAt: true, rankedAt: true, policyVersion: true },
    });
    res.json({ items: rows.map((c) => ({ ...c, phaseLabel: PHASE_LABELS[c.phase as CyclePhase] ?? c.phase })) });
  });

  r.get('/cycles/:month', async (req, res) => {
    res.json(await cycleDetail(db, await load(req)));
  });

  r.post('/cycles/:month/reports', async (req, res) => {
    const body = s.ReportBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    const unitId = body.unitId ?? c.unitId;
    if (unitId !== c.unitId && !isAdmin(c)) throw new ApiError('FORBIDDEN', '只能报送本单位的调度情况');
    await runUpdate(client, cycle.workflowId, m.submitReportUpdate, { actor: actorOf(c), unitId, summary: body.summary, items: body.items }, req);
    const report = await db.cycleReport.findUnique({ where: { cycleId_unitId: { cycleId: cycle.id, unitId } } });
    res.json({ report });
  });

  r.post('/cycles/:month/inspections', async (req, res) => {
    const body = s.InspectionBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    if (!isInspector(c)) throw new ApiError('FORBIDDEN', '只有市委改革办督查人员可以登记督查');
    await checkOfficials([body.leaderId, ...body.reformOfficeIds]);
    await checkUnits([body.unitId, ...(body.specialGroupId ? [body.specialGroupId] : []), ...body.departmentIds]);
    const view = await runUpdate(client, cycle.workflowId, m.createInspectionUpdate, { actor: actorOf(c), ...body }, req);
    const created = [...view.inspections].reverse().find((i) => i.unitId === body.unitId && i.teamName === body.teamName);
    res.status(201).json({ inspection: created && (await db.cycleInspection.findUnique({ where: { id: created.id } })) });
  });

  r.post('/cycles/:month/inspections/:inspectionId/sign', async (req, res) => {
    const body = s.SignBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    const inspection = await db.cycleInspection.findFirst({ where: { id: String(req.params.inspectionId), cycleId: cycle.id } });
    if (!inspection) throw new ApiError('NOT_FOUND', '督查记录不存在');
    // 第六条（二）: each party signs for itself — nobody, not even an administrator, signs for the other.
    if (body.party === 'UNIT' && (c.unitId !== inspection.unitId || !c.roles.some((r) => (RESPONSIBLE_ROLES as readonly string[]).includes(r)))) {
      throw new ApiError('FORBIDDEN', '只有被督查单位负责同志可以代表被督查单位签字');
    }
    if (body.party === 'LEADER' && c.officialId !== inspection.leaderId) throw new ApiError('FORBIDDEN', '只有督查组负责人可以代表督查组签字');
    await runUpdate(client, cycle.workflowId, m.signInspectionUpdate, { actor: actorOf(c), inspectionId: inspection.id, party: body.party }, req);
    res.json({ inspection: await db.cycleInspection.findUnique({ where: { id: inspection.id } }) });
  });

  r.post('/cycles/:month/scores', async (req, res) => {
    const body = s.ScoreBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    if (body.override ? !isAdmin(c) : !isInspector(c)) {
      throw new ApiError('FORBIDDEN', body.override ? '只有市委改革办管理员可以调整评分' : '只有督查人员可以评分');
    }
    const view = await runUpdate(client, cycle.workflowId, m.enterScoreUpdate, { actor: actorOf(c), ...body }, req);
    res.status(201).json({ entry: view.entries[view.entries.length - 1] });
  });

  r.post('/cycles/:month/team-ratings', async (req, res) => {
    const body = s.TeamRatingBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    const unit = await db.unit.findUnique({ where: { id: c.unitId }, select: { kind: true } });
    if (unit?.kind !== 'DISTRICT' || !c.roles.includes('HEAD')) throw new ApiError('FORBIDDEN', '只有区县党政主要负责同志可以对市督查组打分');
    await runUpdate(client, cycle.workflowId, m.rateTeamUpdate, { actor: actorOf(c), ...body }, req);
    res.status(201).json({ rating: await db.cycleTeamRating.findUnique({ where: { cycleId_raterUnitId_teamName: { cycleId: cycle.id, raterUnitId: c.unitId, teamName: body.teamName } } }) });
  });

  r.post('/cycles/:month/close', async (req, res) => {
    const body = s.CloseBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    requireAdmin(c);
    await runUpdate(client, cycle.workflowId, m.closeScoringUpdate, { actor: actorOf(c), note: body.note }, req);
    res.json(await cycleRanking(db, await db.cycle.findUniqueOrThrow({ where: { id: cycle.id } })));
  });

  r.get('/cycles/:month/ranking', async (req, res) => {
    const cycle = await load(req);
    if (!cycle.rankedAt) throw new ApiError('NOT_FOUND', `${cycle.id} 的排名尚未发布`);
    res.json(await cycleRanking(db, cycle));
  });

  r.get('/cycles/:month/briefing', async (req, res) => {
    const cycle = await load(req);
    if (!cycle.briefingHtml) throw new ApiError('NOT_FOUND', `${cycle.id} 的督导情况通报尚未生成`);
    res
      .type('html')
      .set('Content-Disposition', `inline; filename="briefing-${cycle.id}.html"; filename*=UTF-8''${encodeURIComponent(`${cycle.year}年${cycle.month}月督导情况通报.html`)}`)
      .send(cycle.briefingHtml);
  });

  r.post('/cycles/:month/diagnoses/:unitId/report', async (req, res) => {
    const body = s.DiagnosisBody.parse(req.body ?? {});
    const cycle = await load(req);
    const c = caller(req);
    if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '只有会诊组（市委改革办）可以提交会诊报告');
    const unitId = String(req.params.unitId);
    await runUpdate(client, cycle.workflowId, m.fileDiagnosisUpdate, { actor: actorOf(c), unitId, report: body.report }, req);
    res.json({ diagnosis: await db.cycleDiagnosis.findUnique({ where: { cycleId_unitId: { cycleId: cycle.id, unitId } } }) });
  });

  return r;
}
