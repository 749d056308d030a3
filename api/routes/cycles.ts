// The API of the monthly 六个一 supervision cycle (第六条–第八条, 第十条):
// load the year's roadmap and indicator set, start a month by hand, report
// progress, record inspections and sign their issue lists, enter or override
// scores, rate the inspection teams each quarter, publish the ranking, read
// the ranking with its explanations, download the briefing, file the
// diagnosis report. Steps that change a running cycle are Temporal updates
// run by stepRoute (api/steps.ts): the route checks the caller (403) and the
// body (400), the workflow's validators refuse impossible steps (409). The
// audit middleware records every such request.
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { cycleWorkflowId } from '../../common/ids';
import { districtOf, PROPAGANDA_ID, REFORM_OFFICE_ID } from '../../common/org';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import type { Cycle, CycleDiagnosis, CycleInspection } from '../../generated/prisma/client';
import * as m from '../../workflows/cycle/messages';
import { DEFAULT_INDICATORS, PHASE_LABELS, shanghaiMonth, type CyclePhase } from '../../workflows/cycle/state';
import { cycleWorkflow } from '../../workflows/cycle/workflow';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe, type RouteDescription } from '../openapi';
import { resolvePolicies, resolvePolicy } from '../../common/policy/resolve';
import * as s from '../schemas/cycles';
import * as v from '../schemas/views';
import { actorOf, IdempotencyHeaders, json, paramsOf, startPeriod, stepRoute, type Step } from '../steps';

const tags = ['六个一督导'];
type Described = Pick<RouteDescription, 'operationId' | 'summary' | 'description' | 'label' | 'responses' | 'errors'>;
function put(path: string, body: z.ZodType, d: Described): void {
  describe({ method: 'put', path, tags, request: { params: paramsOf(path), headers: IdempotencyHeaders, body: json(body) }, ...d });
}
function get(path: string, d: Described): void {
  describe({ method: 'get', path, tags, request: { params: paramsOf(path) }, ...d });
}

// ---- OpenAPI ---------------------------------------------------------------------------

put('/cycles/years/:year/roadmap', s.RoadmapBody, {
  operationId: 'putRoadmap',
  summary: "Load the year's roadmap and timetable, replacing it whole (administrators)",
  label: '载入年度路线图、时间表（管理员，整体替换）',
  responses: v.answers(v.Roadmap),
});
get('/cycles/years/:year/roadmap', { operationId: 'getRoadmap', summary: "The year's roadmap and timetable", label: '查看年度路线图、时间表', responses: v.answers(v.Roadmap) });
put('/cycles/years/:year/indicators', s.IndicatorSetBody, {
  operationId: 'putIndicators',
  summary: "Load the year's evaluation indicators (administrators; from the next month started)",
  label: '载入年度督导评价指标体系（管理员）',
  responses: v.answers(v.IndicatorSetLoaded),
});
get('/cycles/years/:year/indicators', {
  operationId: 'getIndicators',
  summary: "The year's evaluation indicators (the defaults while none are loaded)",
  label: '查看年度督导评价指标体系',
  responses: v.answers(v.IndicatorSet),
});
describe({
  method: 'post',
  path: '/cycles',
  operationId: 'startCycle',
  summary: "Start a month's 六个一 cycle by hand (administrators)",
  description: 'A month that already runs answers 200; 202 when it started but no worker made it ready within 10 s.',
  label: '手动启动某月“六个一”督导（管理员）',
  tags,
  request: { headers: IdempotencyHeaders, body: json(s.StartCycleBody) },
  responses: { 200: v.ok(v.CycleStarted, 'Already running'), 201: v.ok(v.CycleStarted, 'Started'), 202: v.ok(v.CycleStarted, 'Started; its workflow is not ready yet (no worker)') },
  errors: [409],
});
describe({
  method: 'get',
  path: '/cycles',
  operationId: 'listCycles',
  summary: 'The months started so far: phase, ranking time',
  label: '历月督导列表（阶段、排名发布时间）',
  tags,
  request: { query: z.object({ year: z.string().regex(/^\d{4}$/).optional() }) },
  responses: v.answers(v.CycleList),
});
get('/cycles/:month', {
  operationId: 'getCycle',
  summary: "A month's progress: reports, inspections, diagnoses, open obligations",
  description:
    "An inspection's issue list is shown to the inspected unit, its inspecting team, the reform office and city leaders; a diagnosis report to " +
    'the diagnosed unit, the reform office and city leaders. Others see the inspection or diagnosis without them.',
  label: '查看某月督导进展：调度报送、督查、待办义务',
  responses: v.answers(v.CycleDetail),
});
get('/cycles/:month/ranking', {
  operationId: 'getCycleRanking',
  summary: "A month's ranking with each score's facts and the annual figures (404 until published)",
  label: '查看月度排名、各项得分依据和年度累计',
  responses: v.answers(v.CycleRanking),
});
get('/cycles/:month/briefing', {
  operationId: 'getCycleBriefing',
  summary: "A month's printable briefing (督导情况通报) as HTML (404 until generated)",
  label: '下载月度《督导情况通报》（可打印）',
  responses: { 200: { description: 'Printable HTML', content: { 'text/html': { schema: z.string() } } } },
});

// ---- helpers ------------------------------------------------------------------------------

const isReformOffice = (c: Caller) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID;
const isInspector = (c: Caller) => isAdmin(c) || (c.unitId === REFORM_OFFICE_ID && c.roles.includes('INSPECTOR'));
/**
 * 第十条（一）: who records a mutual inspection for the peer unit inspecting — a district's reform-office director or
 * deputy, a city special group's head or liaison (the group's office work is its liaison's).
 */
const MUTUAL_ROLES: Record<string, readonly string[]> = { DISTRICT: ['DIRECTOR', 'DEPUTY_DIRECTOR'], SPECIAL_GROUP: ['HEAD', 'LIAISON'] };
/** 负责同志 of an inspected unit (第六条（二）). */
const RESPONSIBLE_ROLES = ['HEAD', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'LEADER_IN_CHARGE', 'LIAISON'] as const;

/** The month as its workflow states it on start (the answer of POST /cycles). */
function startedCycle(workflowId: string, view: m.CycleView) {
  return {
    id: view.month,
    workflowId,
    year: Number(view.month.slice(0, 4)),
    month: Number(view.month.slice(5, 7)),
    phase: view.phase,
    phaseLabel: PHASE_LABELS[view.phase] ?? view.phase,
    seed: view.seed,
    targetUnitIds: view.targets,
    startedAt: view.startedAt,
    reportDueAt: view.reportDueAt,
    scoringAt: view.scoringAt,
    rankedAt: view.ranking?.rankedAt ?? null,
    policyVersion: view.policyVersion,
  };
}

/** An inspection as the workflow keeps it, in the shape of its record (absent fields null). */
function inspectionOf(i: m.Inspection | undefined) {
  if (!i) return null;
  return {
    ...i,
    peerUnitId: i.peerUnitId ?? null,
    specialGroupId: i.specialGroupId ?? null,
    unitSignedBy: i.unitSignedBy ?? null,
    unitSignedAt: i.unitSignedAt ?? null,
    leaderSignedBy: i.leaderSignedBy ?? null,
    leaderSignedAt: i.leaderSignedAt ?? null,
  };
}

/**
 * Who reads a unit's inspection findings (README, "Who sees what"): the issue list is the inspected
 * unit's, its district's when the unit is a township or a district special group (第七条: the list is
 * copied to it and counts toward it), and its inspecting team's ("1+1+n": leader, reform-office members,
 * special group, departments); a diagnosis report is the diagnosed unit's. The reform office and the
 * city leaders read them all. Everyone else sees that an inspection or diagnosis took place, not what it found.
 */
const readsAllFindings = (c: Caller) => isReformOffice(c) || c.roles.includes('CITY_LEADER');
const readsIssues = (c: Caller, i: CycleInspection, district: string | undefined) =>
  readsAllFindings(c) ||
  c.unitId === i.unitId ||
  c.unitId === district ||
  c.officialId === i.leaderId ||
  i.reformOfficeIds.includes(c.officialId) ||
  c.unitId === i.specialGroupId ||
  c.unitId === i.peerUnitId ||
  i.departmentIds.includes(c.unitId);
const readsDiagnosis = (c: Caller, d: CycleDiagnosis) => readsAllFindings(c) || c.unitId === d.unitId;

export async function cycleDetail(db: Db, cycle: Cycle, c: Caller, now = new Date()) {
  const policy = await resolvePolicy(db);
  const [reports, inspections, obligations, diagnoses, notices, promotionMeetings, upwardRecommendations] = await Promise.all([
    db.cycleReport.findMany({ where: { cycleId: cycle.id }, orderBy: { unitId: 'asc' } }),
    db.cycleInspection.findMany({ where: { cycleId: cycle.id }, orderBy: { createdAt: 'asc' } }),
    db.obligation.findMany({ where: { workflowId: cycle.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
    db.cycleDiagnosis.findMany({ where: { cycleId: cycle.id } }),
    db.notice.groupBy({ by: ['kind'], where: { subjectType: 'cycle', subjectId: cycle.id }, _count: true }),
    db.cyclePromotionMeeting.findMany({ where: { cycleId: cycle.id }, orderBy: { heldAt: 'asc' } }),
    db.cycleUpwardRecommendation.findMany({ where: { cycleId: cycle.id }, orderBy: { sentAt: 'asc' } }),
  ]);
  const org = await db.unit.findMany({ select: { id: true, name: true, kind: true, parentId: true } });
  const byId = new Map(org.map((u) => [u.id, u]));
  const districtAbove = (unitId: string) => {
    const u = byId.get(unitId);
    return u && districtOf(u, byId);
  };
  const { briefingHtml, ...rest } = cycle;
  return {
    ...rest,
    phaseLabel: PHASE_LABELS[cycle.phase as CyclePhase] ?? cycle.phase,
    briefingAvailable: !!briefingHtml,
    reports,
    // 第十条（三）: the grassroots opinions heard go with the issue list, to the same readers.
    inspections: inspections.map(({ issues, opinions, ...i }) => (readsIssues(c, { issues, opinions, ...i }, districtAbove(i.unitId)) ? { ...i, issues, opinions } : i)),
    diagnoses: diagnoses.map(({ report, ...d }) => (readsDiagnosis(c, { report, ...d }) ? { ...d, report } : d)),
    promotionMeetings: promotionMeetings.map(({ cycleId: _c, revision: _r, ...p }) => p),
    upwardRecommendations: upwardRecommendations.map(({ cycleId: _c, revision: _r, ...u }) => u),
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
    // 第十条（二）: the departments' own ranking, on their own indicators.
    departments: rows.filter((r) => r.unitKind === 'DEPARTMENT').map(row),
    departmentTieRule: (cycle.briefing as { departmentTieRule?: string } | null)?.departmentTieRule ?? null,
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

  r.put('/cycles/years/:year/roadmap', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    const body = s.RoadmapBody.parse(req.body ?? {});
    requireAdmin(caller(req));
    await checkUnits([...new Set(body.tasks.map((t) => t.unitId))]);
    await db.$transaction([
      db.cycleRoadmapTask.deleteMany({ where: { year } }),
      db.cycleRoadmapTask.createMany({ data: body.tasks.map((t) => ({ year, code: t.code, unitId: t.unitId, title: t.title, milestones: t.milestones })) }),
    ]);
    res.json({ year, tasks: await db.cycleRoadmapTask.findMany({ where: { year }, orderBy: [{ unitId: 'asc' }, { code: 'asc' }] }) });
  });

  r.get('/cycles/years/:year/roadmap', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    res.json({ year, tasks: await db.cycleRoadmapTask.findMany({ where: { year }, orderBy: [{ unitId: 'asc' }, { code: 'asc' }] }) });
  });

  r.put('/cycles/years/:year/indicators', async (req, res) => {
    const year = s.YearParam.parse(req.params.year);
    const body = s.IndicatorSetBody.parse(req.body ?? {});
    const c = caller(req);
    requireAdmin(c);
    const row = await db.cycleIndicatorSet.upsert({
      where: { year },
      create: { year, body: body.indicators, createdBy: c.officialId },
      update: { body: body.indicators, createdBy: c.officialId },
    });
    res.json({ year, indicators: row.body, updatedAt: row.updatedAt, note: '新指标体系自下一次启动的月度督导起适用' });
  });

  r.get('/cycles/years/:year/indicators', async (req, res) => {
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
    // A month already running (by the schedule or by hand) is found, not started twice.
    // The answer is the workflow's own view once it has drawn the month's targets (its validators
    // accept steps from then on); without a worker to run it, only that it started.
    const { status, started, answer } = await startPeriod(client, {
      workflow: cycleWorkflow,
      options: { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, month, ...(await resolvePolicies(db)), seed: body.seed, startedBy: c.officialId }] },
      ready: m.cycleReadyUpdate,
      closed: `${month} 的督导已经完成，不能重复启动`,
      answer: async (view) => startedCycle(workflowId, view),
    });
    res.status(status).json({ started, month, workflowId, ...(answer && { cycle: answer }) });
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
    res.json(await cycleDetail(db, await load(req), caller(req)));
  });

  /**
   * The month a step addresses. Its workflow is named by the month: a step does not wait for the
   * month's record, which the workflow writes after it accepts steps (an unknown month is 404 then).
   */
  async function monthOf(req: Request): Promise<{ id: string }> {
    return { id: s.MonthParam.parse(String(req.params.month)) };
  }

  /** A step of one month's cycle (/cycles/:month/…). */
  function step<B extends z.ZodType, A>(spec: Omit<Step<{ id: string }, B, A, m.CycleView>, 'tags' | 'load' | 'workflowId' | 'workflow'>): void {
    stepRoute(r, db, client, { ...spec, tags, load: monthOf, workflowId: (cycle) => cycleWorkflowId(cycle.id), workflow: '该月督导流程' });
  }

  step({
    path: '/cycles/:month/reports',
    operationId: 'submitReport',
    summary: "Submit a district's, special group's or task-carrying department's monthly progress report (一月一调度)",
    label: '区县、专项小组或承担改革任务的部门报送月度调度情况（一月一调度）',
    body: s.ReportBody,
    responses: v.answers(v.CycleReportAnswer),
    update: m.submitReportUpdate,
    args: (body, c) => {
      const unitId = body.unitId ?? c.unitId;
      if (unitId !== c.unitId && !isAdmin(c)) throw new ApiError('FORBIDDEN', '只能报送本单位的调度情况');
      return { actor: actorOf(c), unitId, summary: body.summary, items: body.items };
    },
    // The row: its id and due date are the record's, not the workflow's.
    answer: async (_view, cycle, body, c) => ({ report: await db.cycleReport.findUnique({ where: { cycleId_unitId: { cycleId: cycle.id, unitId: body.unitId ?? c.unitId } } }) }),
  });

  step({
    path: '/cycles/:month/inspections',
    operationId: 'createInspection',
    summary: 'Record an inspection and its issue list (reform-office inspectors; a mutual inspection: the peer unit’s officials; 一月一督查)',
    label: '督查组登记督查及问题清单（一月一督查，“1+1+n”；互督互查由督查单位登记）',
    body: s.InspectionBody,
    status: 201,
    responses: v.answers(v.CycleInspectionAnswer, 201),
    update: m.createInspectionUpdate,
    args: async (body, c) => {
      if (body.peerUnitId) {
        // 第十条（一） 互督互查: recorded by the inspecting peer's own officials (the workflow checks the peer is theirs, 409).
        const unit = await db.unit.findUnique({ where: { id: c.unitId }, select: { kind: true } });
        if (!unit || !c.roles.some((r) => MUTUAL_ROLES[unit.kind]?.includes(r))) throw new ApiError('FORBIDDEN', '互督互查由开展督查的区县改革办主任、专职副主任或市专项小组负责同志、联络员登记');
        await checkUnits([body.peerUnitId]);
        const leader = await db.official.findUnique({ where: { id: body.leaderId }, select: { unitId: true } });
        if (leader && leader.unitId !== body.peerUnitId) throw new ApiError('VALIDATION_FAILED', '互督互查的督查组负责人须为开展督查单位的人员', [{ path: ['leaderId'], message: `${body.leaderId} is not of ${body.peerUnitId}` }]);
      } else if (!isInspector(c)) throw new ApiError('FORBIDDEN', '只有市委改革办督查人员可以登记督查');
      await checkOfficials([body.leaderId, ...body.reformOfficeIds]);
      await checkUnits([body.unitId, ...(body.specialGroupId ? [body.specialGroupId] : []), ...body.departmentIds]);
      // 第十条（一）: the "n" of "1+1+n" are departments (the workflow checks the "1" special group is the city's).
      const notDepartments = await db.unit.findMany({ where: { id: { in: body.departmentIds }, kind: { not: 'DEPARTMENT' } }, select: { id: true } });
      if (notDepartments.length) {
        throw new ApiError('VALIDATION_FAILED', '参加联合督查的单位须为市直部门', notDepartments.map((u) => ({ path: ['departmentIds', body.departmentIds.indexOf(u.id)], message: `${u.id} is not a department` })));
      }
      return { actor: actorOf(c), ...body };
    },
    answer: (view, _cycle, body) => ({ inspection: inspectionOf([...view.inspections].reverse().find((i) => i.unitId === body.unitId && i.teamName === body.teamName)) }),
  });

  stepRoute(r, db, client, {
    path: '/cycles/:month/inspections/:inspectionId/sign',
    operationId: 'signInspection',
    summary: "Sign an inspection's issue list (the inspected unit and the team leader, once each)",
    label: '问题清单签字确认（被督查单位负责同志、督查组负责人各签一次）',
    tags,
    body: s.SignBody,
    responses: v.answers(v.CycleInspectionAnswer),
    workflow: '该月督导流程',
    load: async (req) => {
      const cycle = await monthOf(req);
      const inspection = await db.cycleInspection.findFirst({ where: { id: String(req.params.inspectionId), cycleId: cycle.id } });
      if (!inspection) throw new ApiError('NOT_FOUND', '督查记录不存在');
      return { cycle, inspection };
    },
    workflowId: ({ cycle }) => cycleWorkflowId(cycle.id),
    update: m.signInspectionUpdate,
    args: (body, c, { inspection }) => {
      // 第六条（二）: each party signs for itself — nobody, not even an administrator, signs for the other.
      if (body.party === 'UNIT' && (c.unitId !== inspection.unitId || !c.roles.some((r) => (RESPONSIBLE_ROLES as readonly string[]).includes(r)))) {
        throw new ApiError('FORBIDDEN', '只有被督查单位负责同志可以代表被督查单位签字');
      }
      if (body.party === 'LEADER' && c.officialId !== inspection.leaderId) throw new ApiError('FORBIDDEN', '只有督查组负责人可以代表督查组签字');
      return { actor: actorOf(c), inspectionId: inspection.id, party: body.party };
    },
    answer: (view, { inspection }) => ({ inspection: inspectionOf(view.inspections.find((i) => i.id === inspection.id)) }),
  });

  step({
    path: '/cycles/:month/scores',
    operationId: 'enterScore',
    summary: 'Enter a score (inspectors), or override one with a reason (administrators)',
    label: '督查组评分；管理员调整任一评分（须说明理由）',
    body: s.ScoreBody,
    status: 201,
    responses: v.answers(v.CycleScoreAnswer, 201),
    update: m.enterScoreUpdate,
    args: (body, c) => {
      if (body.override ? !isAdmin(c) : !isInspector(c)) {
        throw new ApiError('FORBIDDEN', body.override ? '只有市委改革办管理员可以调整评分' : '只有督查人员可以评分');
      }
      return { actor: actorOf(c), ...body };
    },
    answer: (view) => ({ entry: view.entries[view.entries.length - 1] }),
  });

  step({
    path: '/cycles/:month/team-ratings',
    operationId: 'rateTeam',
    summary: 'Rate a city inspection team (district heads, quarterly)',
    label: '区县党政主要负责同志季度对市督查组打分',
    body: s.TeamRatingBody,
    status: 201,
    responses: v.answers(v.CycleTeamRatingAnswer, 201),
    update: m.rateTeamUpdate,
    args: async (body, c) => {
      const unit = await db.unit.findUnique({ where: { id: c.unitId }, select: { kind: true } });
      if (unit?.kind !== 'DISTRICT' || !c.roles.includes('HEAD')) throw new ApiError('FORBIDDEN', '只有区县党政主要负责同志可以对市督查组打分');
      return { actor: actorOf(c), ...body };
    },
    answer: async (_view, cycle, body, c) => ({
      rating: await db.cycleTeamRating.findUnique({ where: { cycleId_raterUnitId_teamName: { cycleId: cycle.id, raterUnitId: c.unitId, teamName: body.teamName } } }),
    }),
  });

  step({
    path: '/cycles/:month/close',
    operationId: 'closeScoring',
    summary: 'Close scoring and publish the ranking (administrators)',
    label: '结束评分并发布排名（管理员）',
    body: s.CloseBody,
    responses: v.answers(v.CycleRanking),
    update: m.closeScoringUpdate,
    args: (body, c) => {
      requireAdmin(c);
      return { actor: actorOf(c), note: body.note };
    },
    // The ranking as recorded: with the units' names, the annual figures and the briefing's speakers.
    answer: async (_view, cycle) => cycleRanking(db, await db.cycle.findUniqueOrThrow({ where: { id: cycle.id } })),
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

  step({
    path: '/cycles/:month/promotion-meetings',
    operationId: 'recordPromotionMeeting',
    summary: 'Record an on-site promotion meeting in an advanced district, and invite the units (reform office; 第六条（四）(3))',
    label: '市委改革办安排现场推进会并通知参会单位（第六条（四））',
    body: s.PromotionMeetingBody,
    status: 201,
    responses: v.answers(v.CyclePromotionMeetingAnswer, 201),
    update: m.recordPromotionMeetingUpdate,
    args: async (body, c) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '只有市委改革办可以安排现场推进会');
      await checkUnits([body.districtId, ...body.attendeeUnitIds]);
      return { actor: actorOf(c), ...body };
    },
    answer: (view) => {
      const meetings = view.promotionMeetings ?? [];
      return { meeting: meetings[meetings.length - 1] ?? null };
    },
  });

  step({
    path: '/cycles/:month/upward-recommendations',
    operationId: 'recommendUpward',
    summary: "Record a highlight of the city or its districts recommended upward (reform office or propaganda department; 第六条（五）(3))",
    label: '记录向上推介市及区县改革工作亮点（第六条（五））',
    body: s.UpwardBody,
    status: 201,
    responses: v.answers(v.CycleUpwardAnswer, 201),
    update: m.recommendUpwardUpdate,
    args: async (body, c) => {
      // 一月一宣传 is organised by the propaganda department (第六条（五）); the reform office recommends too.
      if (!isReformOffice(c) && c.unitId !== PROPAGANDA_ID) throw new ApiError('FORBIDDEN', '只有市委改革办、市委宣传部可以记录向上推介');
      await checkUnits(body.unitIds);
      return { actor: actorOf(c), ...body };
    },
    answer: (view) => ({ recommendation: view.upwardRecommendations?.at(-1) ?? null }),
  });

  step({
    path: '/cycles/:month/diagnoses/:unitId/report',
    operationId: 'fileDiagnosis',
    summary: "File the diagnosis group's written report (一月一会诊)",
    label: '会诊组提交调研会诊书面报告（一月一会诊）',
    body: s.DiagnosisBody,
    responses: v.answers(v.CycleDiagnosisAnswer),
    update: m.fileDiagnosisUpdate,
    args: (body, c, _cycle, req) => {
      if (!isReformOffice(c)) throw new ApiError('FORBIDDEN', '只有会诊组（市委改革办）可以提交会诊报告');
      return { actor: actorOf(c), unitId: String(req.params.unitId), report: body.report };
    },
    answer: async (_view, cycle, _body, _c, req) => ({
      diagnosis: await db.cycleDiagnosis.findUnique({ where: { cycleId_unitId: { cycleId: cycle.id, unitId: String(req.params.unitId) } } }),
    }),
  });

  return r;
}
