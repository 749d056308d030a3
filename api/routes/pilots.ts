// The API of the pilot family (第十一条 (五)–(七), 第十三条): register a pilot won
// (with its ledger) or a grassroots experience, read the pilots' ledger, and
// take the steps — each a Temporal update run by stepRoute (api/steps.ts).
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import type { Db } from '../../common/db';
import { REFORM_OFFICE_ID } from '../../common/org';
import { resolvePolicy } from '../../common/policy/resolve';
import { trafficLight } from '../../common/trafficLight';
import type { Pilot } from '../../generated/prisma/client';
import * as m from '../../workflows/pilot/messages';
import { STATE_LABELS, type PilotState } from '../../workflows/pilot/state';
import { caller, isAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { pilotFamily } from '../families/pilot';
import { describe } from '../openapi';
import { registerPilot } from '../pilotRegistration';
import * as s from '../schemas/pilots';
import { answers, ok, PilotDetail, PilotLedger, PilotRegistered } from '../schemas/views';
import { actorOf, json, paramsOf, stepRoute } from '../steps';

const tags = ['改革试点'];

describe({
  method: 'post',
  path: '/pilots',
  operationId: 'registerPilot',
  summary: 'Register a pilot won (with its ledger) or a grassroots experience, and start its workflow (articles 11, 13)',
  description:
    'A pilot won (origin WON) is registered by reform-office administrators; an experience (origin EXPERIENCE) also by an official of the unit whose experience it is. Registering the same reference again changes nothing and answers 200 with the existing pilot.',
  label: '登记改革试点或基层改革经验并启动督办流程（第十一条、第十三条）',
  tags,
  request: { body: json(s.PilotRegistration) },
  responses: { 200: ok(PilotRegistered, 'Already registered: the existing pilot'), 201: ok(PilotRegistered, 'Registered; its workflow started') },
  errors: [403],
});
describe({
  method: 'get',
  path: '/pilots',
  operationId: 'listPilots',
  summary: "The pilots' ledger: every pilot and experience the caller may see, newest first (article 11)",
  label: '查看改革试点台账（第十一条）',
  tags,
  request: { query: s.PilotList },
  responses: answers(PilotLedger),
});
describe({
  method: 'get',
  path: '/pilots/:id',
  operationId: 'getPilot',
  summary: "A pilot's detail: its ledger, steps taken, notices, open obligations (by id or reference)",
  label: '查看改革试点详情（按 id 或编号）',
  tags,
  request: { params: paramsOf('/pilots/:id') },
  description: 'A pilot the caller may not see answers 404, like one that does not exist.',
  responses: answers(PilotDetail),
});

/** The reform office and the units concerned see a pilot; others learn nothing of it. */
const mayView = (c: Caller, p: Pilot) => isAdmin(c) || c.unitId === REFORM_OFFICE_ID || p.leadUnitId === c.unitId || p.participantUnitIds.includes(c.unitId);

/** Who may take a step: the lead unit (or the reform office), or the reform office's administrators alone. */
type Who = 'lead' | 'reformOffice';
const mayAct = (c: Caller, p: Pilot, who: Who) => isAdmin(c) || (who === 'lead' && p.leadUnitId === c.unitId);

const withLabel = (p: Pilot) => ({ ...p, stateLabel: STATE_LABELS[p.state as PilotState] ?? p.state });

export function pilotsRouter(db: Db, client: Client): Router {
  const r = Router();

  async function load(req: Request): Promise<Pilot> {
    const key = String(req.params.id);
    const pilot = await db.pilot.findFirst({ where: { OR: [{ id: key }, { reference: key }] } });
    if (!pilot || !mayView(caller(req), pilot)) throw new ApiError('NOT_FOUND', `未找到改革试点 ${key}（不存在或无权查看）`);
    return pilot;
  }

  async function detail(id: string) {
    const pilot = await db.pilot.findUniqueOrThrow({ where: { id } });
    const [events, notices, obligations, policy] = await Promise.all([
      db.workflowEvent.findMany({ where: { workflowId: pilot.workflowId }, orderBy: { at: 'asc' } }),
      db.notice.findMany({ where: { subjectType: 'pilot', subjectId: id }, orderBy: { createdAt: 'asc' }, select: { id: true, kind: true, title: true, rule: true, dueAt: true, createdAt: true } }),
      db.obligation.findMany({ where: { workflowId: pilot.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
      resolvePolicy(db, pilot.leadUnitId),
    ]);
    const now = new Date();
    return { ...withLabel(pilot), events, notices, obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.pilot.warningWindow) })) };
  }

  r.post('/pilots', async (req, res) => {
    const body = s.PilotRegistration.parse(req.body ?? {});
    const c = caller(req);
    if (!isAdmin(c) && !(body.origin === 'EXPERIENCE' && c.unitId === body.unitId)) {
      throw new ApiError('FORBIDDEN', body.origin === 'WON' ? '只有市委改革办可以登记改革试点' : '只能登记本单位的改革经验');
    }
    const existing = await db.pilot.findUnique({ where: { reference: body.reference } });
    if (existing && !mayView(c, existing)) throw new ApiError('FORBIDDEN', '该编号已被其他单位的事项使用');
    const { pilot, created } = await registerPilot(db, client, body);
    res.status(created ? 201 : 200).json({ created, pilot: await detail(pilot.id) });
  });

  r.get('/pilots', async (req, res) => {
    const q = s.PilotList.parse(req.query);
    const c = caller(req);
    const everything = isAdmin(c) || c.unitId === REFORM_OFFICE_ID;
    const rows = await db.pilot.findMany({
      where: { ...(q.state ? { state: q.state } : {}), ...(everything ? {} : { OR: [{ leadUnitId: c.unitId }, { participantUnitIds: { has: c.unitId } }] }) },
      orderBy: { createdAt: 'desc' },
      take: 500,
    });
    res.json({ items: rows.map(withLabel) });
  });

  r.get('/pilots/:id', async (req, res) => {
    const pilot = await load(req);
    res.json(await detail(pilot.id));
  });

  /** A step below /pilots/:id/ by whom it may be taken; the answer is the pilot's detail. */
  function step<B extends z.ZodType, A>(path: string, summary: string, who: Who, body: B, def: UpdateDefinition<m.PilotView, [A]>, toArgs: (body: z.infer<B>, actor: m.Actor) => A) {
    const label = pilotFamily.updates?.[def.name];
    stepRoute(r, db, client, {
      path: `/pilots/:id/${path}`,
      operationId: def.name,
      summary,
      label: `${label?.label ?? def.name}${label?.rule ? `（${label.rule}）` : ''}`,
      tags,
      body,
      responses: answers(PilotDetail),
      load,
      workflowId: (p) => p.workflowId,
      update: def,
      workflow: '该试点的督办流程',
      args: (b, c, p) => {
        if (!mayAct(c, p, who)) throw new ApiError('FORBIDDEN', who === 'lead' ? '只有牵头单位或市委改革办可以办理此环节' : '只有市委改革办可以办理此环节');
        return toArgs(b, actorOf(c));
      },
      answer: (_view, p) => detail(p.id),
    });
  }

  step('progress', "Report the pilot's progress for the monthly dispatch (lead unit; article 11(6))", 'lead', s.ProgressBody, m.reportProgressUpdate, (b, actor) => ({ actor, ...b }));
  step('plan', "Revise the pilot's goals or time limit (reform office; article 11(6))", 'reformOffice', s.RevisePlanBody, m.revisePlanUpdate, (b, actor) => ({ actor, ...b }));
  step('acceptance-request', 'Report the pilot complete and ask for acceptance (lead unit; article 11(7))', 'lead', s.StepBody, m.requestAcceptanceUpdate, (b, actor) => ({ actor, note: b.note }));
  step('acceptance', "Record the reform office's acceptance of the pilot (article 11(7))", 'reformOffice', s.AcceptanceBody, m.acceptanceUpdate, (b, actor) => ({ actor, ...b }));
  step('upward-report', 'Record the report to the central or provincial reform office (reform office; articles 11(7), 13)', 'reformOffice', s.UpwardBody, m.reportUpwardUpdate, (b, actor) => ({ actor, ...b }));

  return r;
}
