// The thin API officials use for the document lifecycle (第四条, 第五条).
// Each step is a Temporal update run by stepRoute (api/steps.ts): the
// workflow's validator refuses an impossible step (409) before anything is
// recorded.
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import type { Db } from '../../common/db';
import { REFORM_OFFICE_ID } from '../../common/org';
import { trafficLight } from '../../common/trafficLight';
import type { Document } from '../../generated/prisma/client';
import * as m from '../../workflows/document/messages';
import { caller, isAdmin, mayRegisterDocuments, type Caller } from '../auth';
import { registerDocument } from '../documentArrival';
import { ApiError } from '../errors';
import { documentFamily } from '../families/document';
import { describe } from '../openapi';
import { resolvePolicy } from '../../common/policy/resolve';
import * as s from '../schemas/documents';
import { answers, DocumentArrived, DocumentDetail, ok } from '../schemas/views';
import { actorOf, json, paramsOf, stepRoute } from '../steps';

const tags = ['上级文件'];

describe({
  method: 'post',
  path: '/documents',
  operationId: 'registerDocument',
  summary: 'Register a superior reform document and start its workflow (articles 4, 5)',
  description: 'Reform-office administrators and the document exchange (an INGEST token, which may do nothing else). Registering the same 文号 again changes nothing and answers 200 with the existing document.',
  label: '登记上级改革文件并启动办理流程（第四条、第五条）',
  tags,
  request: { body: json(s.DocumentArrival) },
  responses: { 200: ok(DocumentArrived, 'Already registered: the existing document'), 201: ok(DocumentArrived, 'Registered; its workflow started') },
  errors: [403],
});
describe({
  method: 'get',
  path: '/documents/:id',
  operationId: 'getDocument',
  summary: "A document's detail: facts, ledger, notices, open obligations, steps taken (by id or 文号)",
  label: '查看文件办理详情（按 id 或文号）',
  tags,
  request: { params: paramsOf('/documents/:id') },
  description: 'Recipients\' e-mail addresses and delivery errors are shown to administrators only. A document the caller may not see answers 404, like one that does not exist.',
  responses: answers(DocumentDetail),
});

/** Who may complete which step: the lead unit, a named reviewer unit, or the reform office. */
export type Actor = 'lead' | 'justice' | 'government' | 'reformOffice' | 'district';
const JUSTICE_UNIT_ID = 'dept-justice'; // 合法性审查 (市司法局)
const GOVERNMENT_UNIT_ID = 'dept-gov-office'; // 政府常务会议 (市政府办公室)

export function mayAct(c: Caller, doc: Document, who: Actor): boolean {
  if (isAdmin(c)) return true;
  switch (who) {
    case 'lead':
      return doc.leadUnitId === c.unitId;
    case 'justice':
      return c.unitId === JUSTICE_UNIT_ID;
    case 'government':
      return c.unitId === GOVERNMENT_UNIT_ID;
    case 'reformOffice':
      return false;
    case 'district':
      return doc.districtIds.includes(c.unitId);
  }
}

export function mayView(c: Caller, doc: Document): boolean {
  return isAdmin(c) || c.unitId === REFORM_OFFICE_ID || doc.leadUnitId === c.unitId || doc.participantUnitIds.includes(c.unitId) || doc.districtIds.includes(c.unitId);
}

/**
 * The document an official names (id or 文号) if they may see it. "Missing" and "not yours" are one
 * answer, so an outsider cannot learn which 文号 exist.
 */
export async function viewableDocument(db: Db, c: Caller, key: string): Promise<Document> {
  const doc = await db.document.findFirst({ where: { OR: [{ id: key }, { docNumber: key }] } });
  if (!doc || !mayView(c, doc)) throw new ApiError('NOT_FOUND', `未找到文件 ${key}（不存在或无权查看）`);
  return doc;
}

/**
 * A document's detail as the caller may see it: recipients' e-mail addresses and the mail server's
 * raw answers are for administrators; others see who was sent what (names, units) and whether it arrived.
 */
export async function documentDetail(db: Db, { id, workflowId }: Pick<Document, 'id' | 'workflowId'>, c: Caller) {
  // One round of queries for everything the document's id and workflow id reach, then the recipients' names.
  const [doc, events, notices, obligations, policy] = await Promise.all([
    db.document.findUniqueOrThrow({ where: { id }, include: { ledgerTasks: { orderBy: { id: 'asc' } } } }),
    db.workflowEvent.findMany({ where: { workflowId }, orderBy: { at: 'asc' } }),
    db.notice.findMany({
      where: { subjectType: 'document', subjectId: id },
      orderBy: { createdAt: 'asc' },
      include: { recipients: { select: { officialId: true, email: true, role: true, status: true, sentAt: true, error: true, acknowledgedAt: true } } },
    }),
    db.obligation.findMany({ where: { subjectId: id, status: 'OPEN' }, orderBy: { dueAt: 'asc' } }),
    resolvePolicy(db),
  ]);
  const now = new Date();
  const admin = isAdmin(c);
  const ids = [...new Set(notices.flatMap((n) => n.recipients.map((r) => r.officialId)))];
  const officials = await db.official.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, unit: { select: { name: true } } } });
  const who = new Map(officials.map((o) => [o.id, o]));
  return {
    ...doc,
    events,
    notices: notices.map((n) => ({
      ...n,
      recipients: n.recipients.map(({ email, error, ...r }) => ({
        ...r,
        name: who.get(r.officialId)?.name ?? r.officialId,
        unitName: who.get(r.officialId)?.unit.name ?? '',
        ...(admin ? { email, error } : {}),
      })),
    })),
    obligations: obligations.map((o) => ({ ...o, light: trafficLight(o.dueAt, now, policy.document.warningWindow) })),
  };
}

/** Each step's route path below /documents/:id/ → who may take it and its update, for the console's list of actions. */
export const DOCUMENT_STEPS = new Map<string, { who: Actor; update: string }>();

/** The unit's leaders or the reform office reassign, not any official of the unit. */
export const mayReassign = (c: Caller) => isAdmin(c) || c.roles.some((role) => role === 'HEAD' || role === 'LEADER_IN_CHARGE');

/** `now`: the API's clock (the workflows' in tests that move it), against which arrival instants are judged. */
export function documentsRouter(db: Db, client: Client, now: () => Date | Promise<Date>): Router {
  const r = Router();

  const load = (req: Request): Promise<Document> => viewableDocument(db, caller(req), String(req.params.id));

  /** A step below /documents/:id/ by whom it may be taken; the answer is the document's detail. */
  function step<B extends z.ZodType, A>(
    path: string,
    summary: string,
    who: Actor,
    schema: B,
    def: UpdateDefinition<m.DocumentView, [A]>,
    toArgs: (body: z.infer<B>, actor: m.Actor, req: Request) => A | Promise<A>,
  ) {
    const label = documentFamily.updates?.[def.name];
    DOCUMENT_STEPS.set(path, { who, update: def.name });
    stepRoute(r, db, client, {
      path: `/documents/:id/${path}`,
      operationId: def.name === 'acknowledge' ? 'acknowledgeDocument' : def.name,
      summary,
      label: `${label?.label ?? def.name}${label?.rule ? `（${label.rule}）` : ''}`,
      tags,
      body: schema,
      responses: answers(DocumentDetail),
      load,
      workflowId: (doc) => doc.workflowId,
      update: def,
      workflow: '该文件的办理流程',
      args: (body, c, doc, req) => {
        if (!mayAct(c, doc, who)) throw new ApiError('FORBIDDEN', '只有责任单位或市委改革办可以办理此环节');
        return toArgs(body, actorOf(c), req);
      },
      // The view says the workflow's state; the detail adds what was recorded and sent (notices, obligations).
      answer: (_view, doc, _body, c) => documentDetail(db, doc, c),
    });
  }

  async function checkOfficials(ids: string[]): Promise<void> {
    const found = await db.official.count({ where: { id: { in: ids }, active: true } });
    if (found !== new Set(ids).size) throw new ApiError('VALIDATION_FAILED', '责任人不存在', [{ path: ['officialId'], message: 'unknown official' }]);
  }

  r.post('/documents', async (req, res) => {
    const body = s.DocumentArrival.parse(req.body ?? {});
    const c = caller(req);
    if (!mayRegisterDocuments(c)) throw new ApiError('FORBIDDEN', '只有市委改革办（或公文交换接口）可以登记上级文件');
    // Clocks count from these instants (第五条): one in the future would hold every deadline back.
    const at = (await now()).getTime();
    const future = (['issuedAt', 'receivedAt'] as const).filter((k) => body[k] && new Date(body[k]).getTime() > at);
    if (future.length) throw new ApiError('VALIDATION_FAILED', '印发时间和到市时间不能晚于当前时间', future.map((k) => ({ path: [k], message: 'must not be in the future' })));
    const { document, created } = await registerDocument(db, client, body);
    res.status(created ? 201 : 200).json({ created, document: await documentDetail(db, document, c) });
  });

  r.get('/documents/:id', async (req, res) => {
    const doc = await load(req);
    res.json(await documentDetail(db, doc, caller(req)));
  });

  step('lead', 'Name the lead unit of a provincial document that arrived without one; the 交办单 goes out then (reform office; article 5)', 'reformOffice', s.AssignLeadBody, m.assignLeadUpdate, async (b, actor) => {
    const unit = await db.unit.findUnique({ where: { id: b.leadUnitId }, select: { kind: true } });
    if (unit?.kind !== 'DEPARTMENT') throw new ApiError('VALIDATION_FAILED', '牵头部门须为市直部门', [{ path: ['leadUnitId'], message: 'not a department' }]);
    return { actor, ...b };
  });
  step('acknowledge', 'Acknowledge the document for the lead unit (article 5)', 'lead', s.StepBody, m.acknowledgeUpdate, (b, actor) => ({ actor, note: b.note }));
  step('ledger', "Open the document's ledger: lead leader, drafting unit, timeline, tasks (article 5)", 'lead', s.OpenLedgerBody, m.openLedgerUpdate, async (b, actor) => {
    await checkOfficials([b.leadLeaderId, ...b.tasks.map((t) => t.ownerId)]);
    return { actor, ...b };
  });
  step('draft', 'Submit the first draft of the municipal supporting document (article 5)', 'lead', s.StepBody, m.submitDraftUpdate, (b, actor) => ({ actor, note: b.note }));
  step('legal-review', 'Record the legality review (Justice Bureau; article 5)', 'justice', s.ReviewBody, m.legalReviewUpdate, (b, actor) => ({ actor, ...b }));
  step('executive-meeting', "Record the government executive meeting's decision (article 5)", 'government', s.ReviewBody, m.executiveMeetingUpdate, (b, actor) => ({ actor, ...b }));
  step('adoption', "Record the reform group's review (reform office; article 4)", 'reformOffice', s.ReviewBody, m.adoptionUpdate, (b, actor) => ({ actor, ...b }));
  step('issuance', "Record the municipal document's issuance to the districts (article 5)", 'lead', s.IssuanceBody, m.issuanceUpdate, async (b, actor) => {
    // 印发到区县: every district unless the lead names some; each receives it as a notice and acknowledges it.
    const districts = await db.unit.findMany({ where: { kind: 'DISTRICT', ...(b.districtIds ? { id: { in: b.districtIds } } : {}) }, select: { id: true }, orderBy: { id: 'asc' } });
    const unknown = (b.districtIds ?? []).filter((d) => !districts.some((x) => x.id === d));
    if (unknown.length) throw new ApiError('VALIDATION_FAILED', '区县不存在', unknown.map((d) => ({ path: ['districtIds'], message: `not a district: ${d}` })));
    return { actor, ...b, districtIds: b.districtIds ?? districts.map((d) => d.id) };
  });
  step('distribution/acknowledge', 'A district acknowledges the issued municipal document (article 5)', 'district', s.DistributionAckBody, m.acknowledgeDistributionUpdate, (b, actor, req) => {
    const c = caller(req);
    const districtId = isAdmin(c) ? b.districtId : c.unitId;
    if (!districtId) throw new ApiError('VALIDATION_FAILED', '请指明签收的区县', [{ path: ['districtId'], message: 'required for an administrator' }]);
    if (!isAdmin(c) && b.districtId && b.districtId !== c.unitId) throw new ApiError('FORBIDDEN', '只能代表本区县签收');
    return { actor, districtId, note: b.note };
  });
  step('exemption', 'Exempt the document from a municipal supporting document, with a reason (reform office)', 'reformOffice', s.ExemptionBody, m.exemptionUpdate, (b, actor) => ({ actor, reason: b.reason }));
  step('manual-chase', 'Send a chase notice by hand for an obligation (reform office)', 'reformOffice', s.ManualChaseBody, m.manualChaseUpdate, (b, actor) => ({ actor, ...b }));
  step('reassign', 'Reassign the responsible officials (unit leaders or the reform office)', 'lead', s.ReassignBody, m.reassignUpdate, async (b, actor, req) => {
    if (!mayReassign(caller(req))) {
      throw new ApiError('FORBIDDEN', '只有单位领导或市委改革办可以调整责任人');
    }
    await checkOfficials(b.toOfficialIds);
    return { actor, ...b };
  });
  step('ledger-tasks', 'Add a ledger task', 'lead', s.LedgerTaskBody, m.addLedgerTaskUpdate, async (b, actor) => {
    await checkOfficials([b.ownerId]);
    return { actor, ...b };
  });
  step('ledger-tasks/:taskId/progress', 'Report progress on a ledger task', 'lead', s.TaskNoteBody, m.ledgerProgressUpdate, (b, actor, req) => ({ actor, taskId: String(req.params.taskId), note: b.note }));
  step('ledger-tasks/:taskId/close', 'Close a ledger task', 'lead', s.TaskNoteBody, m.closeLedgerTaskUpdate, (b, actor, req) => ({ actor, taskId: String(req.params.taskId), note: b.note }));

  return r;
}
