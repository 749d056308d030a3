// The API of the meeting family (第三条 第一议题, 第四条(一)): the reform
// office registers a central or provincial leading-group meeting (like a
// document arriving); each listed body records its reform meetings with their
// first agenda item, a step on the latest superior meeting's workflow, which
// judges it (api/steps.ts → stepRoute).
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import type { Db } from '../../common/db';
import { REFORM_OFFICE_ID } from '../../common/org';
import { resolvePolicy } from '../../common/policy/resolve';
import { trafficLight } from '../../common/trafficLight';
import type { SuperiorMeeting } from '../../generated/prisma/client';
import * as m from '../../workflows/meeting/messages';
import { STATE_LABELS, type SuperiorMeetingState } from '../../workflows/meeting/state';
import { caller, isAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { meetingFamily } from '../families/meeting';
import { registerSuperiorMeeting } from '../meetingArrival';
import { describe } from '../openapi';
import * as s from '../schemas/meetings';
import { answers, ok, SuperiorMeetingArrived, SuperiorMeetingDetail, SuperiorMeetingList } from '../schemas/views';
import { actorOf, json, paramsOf, stepRoute, viewWhenReady } from '../steps';

const tags = ['上级会议与第一议题'];

describe({
  method: 'post',
  path: '/superior-meetings',
  operationId: 'registerSuperiorMeeting',
  summary: 'Register a central or provincial leading-group meeting; the listed bodies owe a meeting conveying it (articles 3, 4)',
  description: 'Reform-office administrators. Registering the same level and day again changes nothing and answers 200 with the existing meeting. Without `unitIds`, every unit of the policy\'s `meeting.owingUnitKinds` owes a conveying meeting.',
  label: '登记中央或省委深改领导小组会议并启动传达学习督办（第三条、第四条）',
  tags,
  request: { body: json(s.SuperiorMeetingArrival) },
  responses: { 200: ok(SuperiorMeetingArrived, 'Already registered: the existing meeting'), 201: ok(SuperiorMeetingArrived, 'Registered; its workflow started') },
  errors: [403],
});
describe({
  method: 'get',
  path: '/superior-meetings',
  operationId: 'listSuperiorMeetings',
  summary: 'The registered superior leading-group meetings, latest first (the ids a first agenda item conveys)',
  label: '查看已登记的上级深改领导小组会议',
  tags,
  responses: answers(SuperiorMeetingList),
});
describe({
  method: 'get',
  path: '/superior-meetings/:id',
  operationId: 'getSuperiorMeeting',
  summary: "A superior meeting's detail: which bodies conveyed it, the meetings judged against it, notices, open obligations",
  label: '查看上级会议传达学习情况',
  tags,
  request: { params: paramsOf('/superior-meetings/:id') },
  description: 'The reform office and the bodies that owe a conveying meeting; others get 404, as for one that does not exist.',
  responses: answers(SuperiorMeetingDetail),
});

const stateLabel = (state: string) => STATE_LABELS[state as SuperiorMeetingState] ?? state;
const mayView = (c: Caller, sm: SuperiorMeeting) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID || sm.unitIds.includes(c.unitId);

async function meetingDetail(db: Db, id: string) {
  const sm = await db.superiorMeeting.findUniqueOrThrow({ where: { id }, include: { meetings: { orderBy: [{ heldAt: 'asc' }, { id: 'asc' }] } } });
  const [events, notices, obligations, policy] = await Promise.all([
    db.workflowEvent.findMany({ where: { workflowId: sm.workflowId }, orderBy: { at: 'asc' } }),
    db.notice.findMany({
      where: { subjectType: 'meeting', subjectId: id },
      orderBy: { createdAt: 'asc' },
      select: { id: true, kind: true, rule: true, title: true, body: true, createdAt: true, recipients: { select: { officialId: true, role: true, status: true }, orderBy: { officialId: 'asc' } } },
    }),
    db.obligation.findMany({ where: { subjectId: id, family: 'meeting', status: 'OPEN' }, orderBy: [{ dueAt: 'asc' }, { key: 'asc' }] }),
    resolvePolicy(db),
  ]);
  const now = new Date();
  return { ...sm, stateLabel: stateLabel(sm.state), events, notices, obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.meeting.warningWindow) })) };
}

export function meetingsRouter(db: Db, client: Client): Router {
  const r = Router();

  r.post('/superior-meetings', async (req, res) => {
    const body = s.SuperiorMeetingArrival.parse(req.body ?? {});
    if (!isAdmin(caller(req))) throw new ApiError('FORBIDDEN', '只有市委改革办可以登记上级深改领导小组会议');
    const { meeting, created } = await registerSuperiorMeeting(db, client, body);
    // The answer shows the workflow's first record (state, deadline, obligations) when it is ready in time.
    if (created) await viewWhenReady(client, client.workflow.getHandle(meeting.workflowId), m.meetingReadyUpdate);
    res.status(created ? 201 : 200).json({ created, meeting: await meetingDetail(db, meeting.id) });
  });

  r.get('/superior-meetings', async (_req, res) => {
    const items = await db.superiorMeeting.findMany({ orderBy: { heldAt: 'desc' }, take: 50, select: { id: true, level: true, title: true, heldAt: true, state: true, dueAt: true } });
    res.json({ items: items.map((i) => ({ ...i, stateLabel: stateLabel(i.state) })) });
  });

  r.get('/superior-meetings/:id', async (req, res) => {
    const sm = await db.superiorMeeting.findUnique({ where: { id: String(req.params.id) } });
    if (!sm || !mayView(caller(req), sm)) throw new ApiError('NOT_FOUND', `未找到上级会议 ${String(req.params.id)}（不存在或无权查看）`);
    res.json(await meetingDetail(db, sm.id));
  });

  const label = meetingFamily.updates?.recordMeeting;
  stepRoute(r, db, client, {
    path: '/meetings',
    operationId: 'recordReformMeeting',
    summary: "Record a body's reform meeting and its first agenda item, judged against the latest superior meeting (article 3)",
    label: `${label?.label ?? 'recordMeeting'}（${label?.rule ?? '第三条'}）`,
    tags,
    body: s.BodyMeetingBody,
    status: 201,
    responses: answers(SuperiorMeetingDetail, 201),
    // 第三条: the meeting is judged against the latest superior meeting held before it.
    async load(req: Request) {
      const body = s.BodyMeetingBody.parse(req.body ?? {});
      const latest = await db.superiorMeeting.findFirst({ where: { heldAt: { lte: new Date(body.heldAt) } }, orderBy: [{ heldAt: 'desc' }, { id: 'asc' }] });
      if (!latest) throw new ApiError('CONFLICT', '本次会议之前尚未登记上级深改领导小组会议，无从对照第一议题');
      return latest;
    },
    workflowId: (sm) => sm.workflowId,
    update: m.recordMeetingUpdate,
    workflow: '该上级会议的传达学习督办流程',
    async args(body, c) {
      const unitId = body.unitId ?? c.unitId;
      if (unitId !== c.unitId && !isAdmin(c)) throw new ApiError('FORBIDDEN', '只能登记本单位召开的会议');
      if (body.conveys && !(await db.superiorMeeting.count({ where: { id: body.conveys } }))) {
        throw new ApiError('VALIDATION_FAILED', '所传达的上级会议不存在', [{ path: ['conveys'], message: 'unknown superior meeting' }]);
      }
      return { actor: actorOf(c), meetingId: randomUUID(), unitId, kind: body.kind, title: body.title, heldAt: new Date(body.heldAt).toISOString(), firstItem: body.firstItem, conveys: body.conveys };
    },
    answer: (_view, sm) => meetingDetail(db, sm.id),
  });

  return r;
}
