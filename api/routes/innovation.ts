// The API of the innovation experiences (第十四条): the semiannual selection
// (candidates, votes, opinions, approval) and each experience's rollout
// (plans, meeting, district plans, townships, rectification, acceptance).
// Steps that change a running workflow are Temporal updates run by stepRoute
// (api/steps.ts): the route checks the caller's unit (403) and the body (400),
// the workflow's validators refuse impossible steps (409). Ballots go straight
// to PostgreSQL (api/innovationVoting.ts).
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { SmsChannel } from '../../activities/sms';
import type { Db } from '../../common/db';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../../common/org';
import { TASK_QUEUE } from '../../common/taskQueues';
import { trafficLight } from '../../common/trafficLight';
import type { InnovationRollout, InnovationSelection } from '../../generated/prisma/client';
import { selectionWorkflowId } from '../../workflows/innovation/ids';
import * as m from '../../workflows/innovation/messages';
import { selectionWorkflow } from '../../workflows/innovation/selection';
import { boardOf, finalRule, PHASE_LABELS, SUBMITTER_KINDS, type Duty, type SelectionPhase, type UnitKind } from '../../workflows/innovation/state';
import { caller, isAdmin, requireAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { castBallot, checkVoteCode, publicVoteKeys, sendVoteCode, VOTE_CODE_LIMITS } from '../innovationVoting';
import { addressKey } from '../rateLimits';
import { PostgresRateLimitStore } from '../rateLimitStore';
import { describe, type RouteDescription } from '../openapi';
import { pageArgs, pageOf } from '../pagination';
import { resolvePolicies, resolvePolicy } from '../../common/policy/resolve';
import * as s from '../schemas/innovation';
import * as v from '../schemas/views';
import { actorOf, IdempotencyHeaders, json, paramsOf, startOnce, stepRoute, viewWhenReady, type Step } from '../steps';

const tags = ['创新改革经验'];
type Described = Pick<RouteDescription, 'operationId' | 'summary' | 'description' | 'label' | 'responses' | 'errors' | 'public'>;
function post(path: string, body: z.ZodType, d: Described): void {
  describe({ method: 'post', path, tags, request: { params: paramsOf(path), headers: IdempotencyHeaders, body: json(body) }, ...d });
}
function get(path: string, d: Described): void {
  describe({ method: 'get', path, tags, request: { params: paramsOf(path) }, ...d });
}
const selectionAnswer = v.answers(v.SelectionDetail);
const rolloutAnswer = v.answers(v.RolloutDetail);

const isLeader = (c: Caller) => c.roles.includes('CITY_LEADER') || (c.unitId === LEADERSHIP_ID && c.roles.includes('LEADER_IN_CHARGE'));

export async function selectionDetail(db: Db, id: string) {
  const sel = await db.innovationSelection.findUnique({
    where: { id },
    include: { candidates: { orderBy: [{ finalRank: { sort: 'asc', nulls: 'last' } }, { shortlistRank: { sort: 'asc', nulls: 'last' } }, { submittedAt: 'asc' }] } },
  });
  if (!sel) throw new ApiError('NOT_FOUND', `评选 ${id} 不存在`);
  const rollouts = await db.innovationRollout.findMany({ where: { selectionId: id }, orderBy: { id: 'asc' }, select: { id: true, title: true, state: true, workflowId: true } });
  // The rule the second round was closed under; before it closes, the policy in force.
  const tieRule = (sel.rounds as { SECOND?: { tieRule?: string } }).SECOND?.tieRule ?? finalRule((await resolvePolicy(db)).innovation.selection.finalCombination);
  return { ...sel, agreements: sel.agreements as Array<{ by: string; agree: boolean; comment?: string; at: string }>, phaseLabel: PHASE_LABELS[sel.phase as SelectionPhase] ?? sel.phase, tieRule, rollouts };
}

export async function rolloutDetail(db: Db, r: InnovationRollout, now = new Date()) {
  const policy = await resolvePolicy(db);
  const duties = (r.board as { duties?: Duty[] }).duties ?? [];
  const [obligations, notices] = await Promise.all([
    db.obligation.findMany({ where: { subjectId: r.id, family: 'rollout', status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
    db.notice.groupBy({ by: ['kind'], where: { subjectType: 'rollout', subjectId: r.id }, _count: true }),
  ]);
  return {
    ...r,
    board: boardOf(duties, r.districtIds, now),
    obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.innovation.rollout.warningWindow) })),
    notices: Object.fromEntries(notices.map((n) => [n.kind, n._count])),
  };
}

// ---- OpenAPI ---------------------------------------------------------------------

post('/innovation/selections', s.StartSelectionBody, {
  operationId: 'startSelection',
  summary: 'Start the semiannual innovation-experience selection (administrators)',
  description: 'Starting a half year that already runs or ran answers 200 with that selection.',
  label: '启动半年度创新改革经验评选（管理员）',
  responses: { 200: v.ok(v.SelectionStarted, 'Already started'), 201: v.ok(v.SelectionStarted, 'Started') },
  // A selection closing between the start and its view: asking again answers 200.
  errors: [409],
});
get('/innovation/selections/:id', {
  operationId: 'getSelection',
  summary: "A selection's progress: candidates, opinions and each round's count",
  label: '查看评选进展、候选经验和各轮计票',
  responses: selectionAnswer,
});
post('/innovation/selections/:id/votes', s.BallotBody, {
  operationId: 'castUnitBallot',
  summary: "Cast the caller's unit's ballot in an official round (not for its own candidates)",
  label: '区县、专项小组或部门投票（不得为本单位经验投票）',
  responses: v.answers(v.BallotCast, 201),
  errors: [409],
});
describe({
  method: 'get',
  path: '/innovation/rollouts',
  operationId: 'listRollouts',
  summary: 'Rollouts of approved experiences, with their late duties',
  label: '推广中的经验列表',
  tags,
  request: { query: s.RolloutListQuery },
  responses: v.answers(v.RolloutList),
});
get('/innovation/rollouts/:id', {
  operationId: 'getRollout',
  summary: "A rollout's detail: each district's done and late duties, open obligations, notices",
  label: '查看经验推广详情：各区县完成和逾期情况、待办义务、通知',
  responses: rolloutAnswer,
});
get('/innovation/rollouts/:id/board', {
  operationId: 'getRolloutBoard',
  summary: "A rollout's board: each district's done and late duties",
  label: '经验推广看板：各区县完成和逾期情况',
  responses: v.answers(v.RolloutBoard),
});
get('/public/innovation/selections/:id', {
  operationId: 'getPublicSelection',
  summary: 'The public vote: the shortlist (no sign-in)',
  label: '公开投票：查看入围经验',
  public: true,
  responses: v.answers(v.PublicSelection),
  errors: [503],
});
post('/public/innovation/selections/:id/codes', s.VoteCodeBody, {
  operationId: 'requestVoteCode',
  summary: "Send a verification code by SMS to the voter's phone (no sign-in)",
  description: 'The code is valid for 10 minutes and for one ballot; codes per phone and requests per client address are limited.',
  label: '公开投票：向手机发送验证码',
  public: true,
  responses: { 202: v.ok(v.VoteCodeSent, 'Accepted: the code is on its way') },
  errors: [409, 429, 503],
});
post('/public/innovation/selections/:id/votes', s.PublicBallotBody, {
  operationId: 'castPublicBallot',
  summary: 'Cast a public ballot with the code sent to the phone: one per phone per round (no sign-in)',
  label: '公开投票（凭手机验证码，每个手机号每轮一次）',
  public: true,
  responses: v.answers(v.PublicBallotCast, 201),
  errors: [401, 409, 429, 503],
});

// ---- officials ---------------------------------------------------------------------

export function innovationRouter(db: Db, client: Client): Router {
  const r = Router();

  async function unitKind(unitId: string): Promise<UnitKind | undefined> {
    return (await db.unit.findUnique({ where: { id: unitId }, select: { kind: true } }))?.kind;
  }
  async function loadSelection(req: Request): Promise<InnovationSelection> {
    const id = String(req.params.id);
    const sel = await db.innovationSelection.findUnique({ where: { id } });
    if (!sel) throw new ApiError('NOT_FOUND', `评选 ${id} 不存在`);
    return sel;
  }
  async function loadRollout(req: Request): Promise<InnovationRollout> {
    const id = String(req.params.id);
    const row = await db.innovationRollout.findUnique({ where: { id } });
    if (!row) throw new ApiError('NOT_FOUND', `推广事项 ${id} 不存在`);
    return row;
  }

  r.post('/innovation/selections', async (req, res) => {
    const body = s.StartSelectionBody.parse(req.body ?? {});
    requireAdmin(caller(req));
    const workflowId = selectionWorkflowId(body.half);
    const input: m.SelectionInput = { version: 1, selectionId: body.half, ...(await resolvePolicies(db)) };
    // Running or finished already: the answer is that selection as its workflow states it (a finished
    // workflow still answers queries; the ready update needs a running one).
    const { outcome, handle } = await startOnce(client, selectionWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [input] });
    const view = outcome === 'closed' ? await handle.query(m.selectionQuery) : await viewWhenReady(client, handle, m.selectionReadyUpdate);
    res.status(outcome === 'started' ? 201 : 200).json({ workflowId, selection: view });
  });

  r.get('/innovation/selections/:id', async (req, res) => {
    const sel = await loadSelection(req);
    res.json(await selectionDetail(db, sel.id));
  });

  r.post('/innovation/selections/:id/votes', async (req, res) => {
    const body = s.BallotBody.parse(req.body ?? {});
    const sel = await loadSelection(req);
    const c = caller(req);
    // One ballot per unit per round: the unit is the voter (第十四条 mutual voting).
    const result = await castBallot(db, {
      selectionId: sel.id,
      public: false,
      voterKey: c.unitId,
      voterUnitId: c.unitId,
      voterKind: await unitKind(c.unitId),
      officialId: c.officialId,
      candidateIds: body.candidateIds,
    });
    // The unit's obligation to vote is met: the workflow records it before the answer (and counts every ballot
    // when the round closes, so a failure here only delays the record).
    if (result.round !== 'PUBLIC') {
      await client.workflow
        .getHandle(sel.workflowId)
        .executeUpdate(m.ballotCastUpdate, { args: [{ round: result.round, unitId: c.unitId }] })
        .catch((err: Error) => req.log.warn({ selectionId: sel.id, err }, 'ballot stored; recording its obligation failed (it closes with the round)'));
    }
    res.status(201).json(result);
  });

  type SelectionStep<B extends z.ZodType, A> = Step<{ id: string }, B, A, m.SelectionView>;
  /**
   * A step of a selection (/innovation/selections/:id/…), addressed to the workflow the half year
   * names (an unknown one is 404); the answer is the selection's detail, recorded by the step.
   */
  function selectionStep<B extends z.ZodType, A>(spec: Omit<SelectionStep<B, A>, 'tags' | 'load' | 'workflowId' | 'workflow' | 'answer' | 'responses'> & Partial<Pick<SelectionStep<B, A>, 'answer' | 'responses'>>): void {
    stepRoute(r, db, client, {
      tags,
      responses: selectionAnswer,
      answer: (_view, sel) => selectionDetail(db, sel.id),
      ...spec,
      load: async (req) => ({ id: String(req.params.id) }),
      workflowId: (sel) => selectionWorkflowId(sel.id),
      workflow: '该评选流程',
    });
  }

  selectionStep({
    path: '/innovation/selections/:id/candidates',
    operationId: 'submitCandidate',
    summary: 'Submit a candidate experience with its material (districts and special groups)',
    label: '区县或专项小组申报候选经验（附材料）',
    body: s.CandidateBody,
    status: 201,
    responses: v.answers(v.CandidateSubmitted, 201),
    update: m.submitCandidateUpdate,
    args: async (body, c) => {
      if (!SUBMITTER_KINDS.includes((await unitKind(c.unitId))!)) throw new ApiError('FORBIDDEN', '只有区县和专项小组可以申报创新改革经验');
      if ((await unitKind(body.leadUnitId)) !== 'DEPARTMENT') {
        throw new ApiError('VALIDATION_FAILED', '牵头部门应为市直部门', [{ path: ['leadUnitId'], message: 'not a department' }]);
      }
      if (body.leaderInChargeId) {
        const o = await db.official.findUnique({ where: { id: body.leaderInChargeId } });
        if (!o || !o.active || !(o.roles.includes('CITY_LEADER') || o.roles.includes('LEADER_IN_CHARGE'))) {
          throw new ApiError('VALIDATION_FAILED', '市分管领导不存在', [{ path: ['leaderInChargeId'], message: 'not a city leader' }]);
        }
      }
      return { actor: actorOf(c), ...body };
    },
    answer: async (view, sel, _body, c) => ({
      candidate: view.candidates.filter((x) => x.submittedBy === c.officialId).at(-1),
      selection: await selectionDetail(db, sel.id),
    }),
  });

  selectionStep({
    path: '/innovation/selections/:id/opinions',
    operationId: 'recordOpinion',
    summary: "Record the city leader's or lead department's opinion on a selected experience",
    label: '市分管领导或牵头部门对入选经验提出意见',
    body: s.OpinionBody,
    update: m.recordOpinionUpdate,
    args: async (body, c, sel) => {
      const cand = await db.innovationCandidate.findFirst({ where: { id: body.candidateId, selectionId: sel.id } });
      if (!cand) throw new ApiError('VALIDATION_FAILED', '候选经验不存在', [{ path: ['candidateId'], message: 'unknown candidate' }]);
      const role: m.OpinionView['role'] | undefined =
        c.unitId === cand.leadUnitId ? 'LEAD_DEPARTMENT' : c.officialId === cand.leaderInChargeId || isLeader(c) ? 'LEADER' : undefined;
      if (!role) throw new ApiError('FORBIDDEN', '只有市分管领导和牵头部门可以提出意见');
      return { actor: actorOf(c), role, ...body };
    },
  });

  selectionStep({
    path: '/innovation/selections/:id/close-round',
    operationId: 'closeRound',
    summary: 'Close the current round early (administrators)',
    label: '提前结束当前轮次（管理员）',
    body: s.CloseRoundBody,
    update: m.closeRoundUpdate,
    args: (body, c) => {
      requireAdmin(c);
      return { actor: actorOf(c), ...body };
    },
  });

  selectionStep({
    path: '/innovation/selections/:id/approve',
    operationId: 'approveSelection',
    summary: "Review the rollout list and submit it to the main city leaders (the reform office's director)",
    label: '市委改革办主任审核推广名单，报市主要领导同意',
    body: s.ApproveBody,
    update: m.approveSelectionUpdate,
    args: (body, c) => {
      if (!(c.unitId === REFORM_OFFICE_ID && c.roles.includes('DIRECTOR'))) throw new ApiError('FORBIDDEN', '推广名单由市委改革办主任审核报送');
      return { actor: actorOf(c), ...body };
    },
  });

  selectionStep({
    path: '/innovation/selections/:id/agreement',
    operationId: 'agreeSelection',
    summary: 'Agree to the submitted rollout list, which starts the rollouts, or return it to the director (the main city leaders)',
    label: '市主要领导同意推广名单（启动推广）或退回修改',
    body: s.AgreementBody,
    update: m.agreeSelectionUpdate,
    args: (body, c) => {
      // 第十四条: the final list is agreed by the main city leaders, the heads of the city's leading group.
      if (!(c.unitId === LEADERSHIP_ID && c.roles.includes('HEAD'))) throw new ApiError('FORBIDDEN', '推广名单报市主要领导同意');
      return { actor: actorOf(c), ...body };
    },
  });

  r.get('/innovation/rollouts', async (req, res) => {
    const q = s.RolloutListQuery.parse(req.query);
    const rows = await db.innovationRollout.findMany({ where: q.selectionId ? { selectionId: q.selectionId } : {}, orderBy: { id: 'asc' }, ...pageArgs(q) });
    const { page, nextCursor } = pageOf(rows, q.limit);
    const now = new Date();
    res.json({
      nextCursor,
      items: page.map((row) => {
        const b = boardOf((row.board as { duties?: Duty[] }).duties ?? [], row.districtIds, now);
        const late = [...b.city, ...b.districts].reduce((n, x) => n + x.late, 0);
        return { id: row.id, title: row.title, state: row.state, leadUnitId: row.leadUnitId, startedAt: row.startedAt, late };
      }),
    });
  });

  r.get('/innovation/rollouts/:id', async (req, res) => {
    res.json(await rolloutDetail(db, await loadRollout(req)));
  });
  r.get('/innovation/rollouts/:id/board', async (req, res) => {
    const row = await loadRollout(req);
    const { board } = await rolloutDetail(db, row);
    res.json({ id: row.id, title: row.title, state: row.state, board });
  });

  /** A rollout step (/innovation/rollouts/:id/<path>); the answer is the rollout's detail. */
  function step<B extends z.ZodType, A>(
    path: string,
    summary: string,
    label: string,
    schema: B,
    def: UpdateDefinition<m.RolloutView, [A]>,
    build: (body: z.infer<B>, c: Caller, row: InnovationRollout) => A | Promise<A>,
    operationId = def.name,
  ) {
    stepRoute(r, db, client, {
      path: `/innovation/rollouts/:id/${path}`,
      operationId,
      summary,
      label,
      tags,
      body: schema,
      responses: rolloutAnswer,
      load: loadRollout,
      workflowId: (row) => row.workflowId,
      update: def,
      workflow: '该经验的推广流程',
      args: (body, c, row) => build(body, c, row),
      // The board and obligations as recorded by the step (the view has no traffic lights or notices).
      answer: async (_view, row) => rolloutDetail(db, await db.innovationRollout.findUniqueOrThrow({ where: { id: row.id } })),
    });
  }
  const forbid = (message: string): never => {
    throw new ApiError('FORBIDDEN', message);
  };
  const leadOnly = (c: Caller, row: InnovationRollout) => {
    if (!isAdmin(c) && c.unitId !== row.leadUnitId) forbid('只有牵头部门可以办理此环节');
  };
  const isRolloutLeader = (c: Caller, row: InnovationRollout) =>
    row.leaderInChargeId ? c.officialId === row.leaderInChargeId : c.unitId === LEADERSHIP_ID && c.roles.includes('LEADER_IN_CHARGE');
  /** The district the caller acts for: its own, or any for the reform office's administrators. */
  const districtOf = (c: Caller, row: InnovationRollout, given?: string): string => {
    const d = given ?? c.unitId;
    if (!row.districtIds.includes(d)) throw new ApiError('VALIDATION_FAILED', '区县不在推广范围内', [{ path: ['districtId'], message: 'unknown district' }]);
    if (!isAdmin(c) && c.unitId !== d) forbid('只能办理本区县的事项');
    return d;
  };

  step('lead-plan', "Submit the lead department's implementation plan (within a week)", '牵头部门报送实施方案（一周内）', s.DocumentBody, m.submitLeadPlanUpdate, (b, c, row) => {
    leadOnly(c, row);
    return { actor: actorOf(c), ...b };
  });
  step('lead-plan/approval', "Approve the lead department's plan (the city leader in charge)", '市分管领导审定实施方案', s.ApprovalBody, m.approveLeadPlanUpdate, (b, c, row) => {
    // 第十四条: the lead department's plan is approved by the city leader in charge.
    if (!isRolloutLeader(c, row)) forbid('实施方案由市分管领导审定');
    return { actor: actorOf(c), ...b };
  });
  step('meeting', 'Record the deployment meeting once held (within two weeks of the approval)', '登记部署会（审定后两周内召开，会后登记）', s.MeetingBody, m.recordMeetingUpdate, (b, c, row) => {
    if (!isRolloutLeader(c, row)) leadOnly(c, row);
    return { actor: actorOf(c), ...b };
  });
  step(
    'district-meeting',
    "Record a district's own deployment meeting once held (on the city's timeline)",
    '区县登记本地部署会（与市级同步，会后登记）',
    s.DistrictMeetingBody,
    m.recordMeetingUpdate,
    (b, c, row) => ({ actor: actorOf(c), ...b, districtId: districtOf(c, row, b.districtId) }),
    // The city's meeting and a district's are one update; each route its own operation.
    'recordDistrictMeeting',
  );
  step('district-plan', "Submit a district's implementation opinion and plan (within a month)", '区县报送实施意见和实施方案（一个月内）', s.DistrictPlanBody, m.submitDistrictPlanUpdate, (b, c, row) => ({ actor: actorOf(c), ...b, districtId: districtOf(c, row, b.districtId) }));
  step('district-plan/approval', "Approve a district's opinion and plan (the district reform office's director)", '区县改革办主任审定实施意见和实施方案', s.DistrictApprovalBody, m.approveDistrictPlanUpdate, (b, c, row) => {
    const districtId = b.districtId ?? c.unitId;
    // 第十四条: approved by the district's reform office director.
    if (c.unitId !== districtId || !c.roles.includes('DIRECTOR')) forbid('区县实施意见和实施方案由本区县改革办主任审定');
    return { actor: actorOf(c), ...b, districtId: districtOf(c, row, districtId) };
  });
  step('townships', 'Report the townships a district rolls out to (at least two)', '区县报送推广镇办（至少2个）', s.TownshipBody, m.reportTownshipsUpdate, async (b, c, row) => {
    const districtId = districtOf(c, row, b.districtId);
    const found = await db.unit.count({ where: { id: { in: b.townshipIds }, parentId: districtId, kind: 'TOWNSHIP' } });
    if (found !== new Set(b.townshipIds).size) {
      throw new ApiError('VALIDATION_FAILED', '镇办不属于该区县', [{ path: ['townshipIds'], message: 'not townships of the district' }]);
    }
    return { actor: actorOf(c), ...b, districtId };
  });
  step('problems', 'Record problems found by inspection and require rectification (administrators)', '登记督查发现的问题，要求整改（管理员）', s.ProblemsBody, m.recordProblemsUpdate, async (b, c, row) => {
    requireAdmin(c);
    const units = [row.leadUnitId, ...row.districtIds];
    const bad = b.problems.filter((p) => !units.includes(p.unitId));
    if (bad.length) throw new ApiError('VALIDATION_FAILED', '整改单位应为牵头部门或区县', bad.map((p) => ({ path: ['problems', 'unitId'], message: p.unitId })));
    return { actor: actorOf(c), ...b };
  });
  step('rectification', 'Submit a rectification plan', '报送整改方案', s.RectificationBody, m.submitRectificationUpdate, (b, c, row) => {
    // Refused unless the duty is on the recorded board: one the workflow added but has not recorded yet has
    // no unit to check here (the workflow's validator checks the unit too).
    const d = ((row.board as { duties?: Duty[] }).duties ?? []).find((x) => x.name === b.dutyName && x.kind === 'RECTIFICATION');
    if (!d) throw new ApiError('NOT_FOUND', `没有“${b.dutyName}”这项整改任务（刚登记的问题请稍后刷新再报送）`);
    if (!isAdmin(c) && d.unitId !== c.unitId) forbid('只能报送本单位的整改方案');
    return { actor: actorOf(c), ...b };
  });
  step('acceptance-report', 'Submit an acceptance report (lead department or district; end of June and December)', '牵头部门或区县报送验收报告（6月底、12月底）', s.AcceptanceReportBody, m.submitAcceptanceReportUpdate, (b, c, row) => {
    const unitId = b.unitId ?? c.unitId;
    if (!isAdmin(c) && unitId !== c.unitId) forbid('只能报送本单位的验收报告');
    if (unitId !== row.leadUnitId && !row.districtIds.includes(unitId)) forbid('只有牵头部门和各区县报送验收报告');
    return { actor: actorOf(c), ...b, unitId };
  });
  step(
    'summary',
    "Submit the reform office's acceptance summary with a verdict per reporting unit (by 10 July and 10 January); it goes to the director and city-wide",
    '市委改革办报送验收总结并逐单位给出验收结论（7月10日、1月10日前），报主任并全市通报',
    s.SummaryBody,
    m.submitSummaryUpdate,
    (b, c, row) => {
      requireAdmin(c);
      const units = [row.leadUnitId, ...row.districtIds];
      const bad = b.verdicts.filter((v) => !units.includes(v.unitId));
      if (bad.length) throw new ApiError('VALIDATION_FAILED', '验收结论的单位应为牵头部门或区县', bad.map((v) => ({ path: ['verdicts', 'unitId'], message: v.unitId })));
      return { actor: actorOf(c), ...b };
    },
  );

  return r;
}

// ---- the public vote (no official's token) -------------------------------------------

export interface PublicVoteDeps {
  /** Sends the verification codes (SMS_CHANNEL); without one, asking for a code answers 503. */
  sms?: SmsChannel;
  /** Keys voters and addresses (DUBAN_VOTE_SECRET); without one, codes and ballots answer 503. */
  voteSecret?: string;
  /** Apps with the same scope share their counters (RateLimits.scope); without one, this app counts alone. */
  scope?: string;
}

/**
 * Mounted before authentication. One ballot per verified phone per round (the
 * unique key on its HMAC); a phone is verified by the code sent to it. Abuse
 * limited per client address (IPv6 per /64): asking for codes and casting
 * ballots per hour (express-rate-limit, counters in PostgreSQL), and a
 * per-round cap stored with the ballots.
 */
export function innovationPublicRouter(db: Db, { sms, voteSecret, scope }: PublicVoteDeps = {}): Router {
  const r = Router();
  const keys = voteSecret ? publicVoteKeys(voteSecret) : undefined;
  const configured = () => {
    if (!keys || !sms) throw new ApiError('UNAVAILABLE', '网络投票未开通（未配置短信通道或投票密钥）');
    return { keys, sms };
  };
  const perAddress = rateLimit({
    windowMs: VOTE_CODE_LIMITS.windowMs,
    limit: async () => (await resolvePolicy(db)).innovation.selection.publicVotesPerIpPerHour,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new PostgresRateLimitStore(db, `${scope ?? `app-${randomUUID()}`}:public-vote:`),
    // addressKey groups IPv6 by /64 through the library's ipKeyGenerator (its own check cannot see that).
    validate: { keyGeneratorIpFallback: false },
    keyGenerator: (req) => `${req.path.endsWith('/codes') ? 'codes' : 'votes'}:${addressKey(req.ip)}`,
    handler: (_req, _res, next) => next(new ApiError('RATE_LIMITED', '操作过于频繁，请稍后再试')),
  });

  r.get('/innovation/selections/:id', async (req, res) => {
    const id = String(req.params.id);
    const sel = await db.innovationSelection.findUnique({ where: { id } });
    if (!sel) throw new ApiError('NOT_FOUND', `评选 ${id} 不存在`);
    const candidates = await db.innovationCandidate.findMany({ where: { selectionId: id, shortlistRank: { not: null } }, orderBy: { shortlistRank: 'asc' } });
    const units = await db.unit.findMany({ where: { id: { in: candidates.map((c) => c.unitId) } }, select: { id: true, name: true } });
    res.json({
      id,
      phase: sel.phase,
      phaseLabel: PHASE_LABELS[sel.phase as SelectionPhase] ?? sel.phase,
      open: sel.phase === 'SECOND_VOTE',
      dueAt: sel.phaseDueAt,
      candidates: candidates.map((c) => ({ id: c.id, title: c.title, summary: c.summary, unitName: units.find((u) => u.id === c.unitId)?.name })),
    });
  });

  r.post('/innovation/selections/:id/codes', perAddress, async (req, res) => {
    const body = s.VoteCodeBody.parse(req.body ?? {});
    const c = configured();
    await sendVoteCode(db, c.sms, c.keys, String(req.params.id), body.phone);
    res.status(202).json({ sent: true, expiresInMinutes: VOTE_CODE_LIMITS.codeTtlMs / 60_000 });
  });

  r.post('/innovation/selections/:id/votes', perAddress, async (req, res) => {
    const body = s.PublicBallotBody.parse(req.body ?? {});
    const { keys: k } = configured();
    const selectionId = String(req.params.id);
    const voterKey = k.voterKey(selectionId, body.phone);
    const codeId = await checkVoteCode(db, k, voterKey, body.code);
    const result = await castBallot(db, { selectionId, public: true, voterKey, codeId, ipHash: k.addressKey(req.ip ?? 'unknown'), candidateIds: body.candidateIds });
    res.status(201).json({ round: result.round, accepted: true });
  });

  return r;
}
