// Read routes the web console needs beside the families' own: my to-do list,
// the documents I may see (with filters), the steps I may take on a document
// now, the list of selections, and the organisation for the forms' pickers.
import { Router } from 'express';
import { z } from 'zod';
import { consolePath } from '../../common/consoleLinks';
import type { Db } from '../../common/db';
import { REFORM_OFFICE_ID } from '../../common/org';
import { trafficLight } from '../../common/trafficLight';
import type { Prisma } from '../../generated/prisma/client';
import { STATE_LABELS, TERMINAL, refusal, type DocumentState, type DocumentStep } from '../../workflows/document/state';
import { PHASE_LABELS, type SelectionPhase } from '../../workflows/innovation/state';
import { overdueBoard } from '../admin/overdue';
import { caller, isAdmin, type Caller } from '../auth';
import { familyOf, noticeKindLabel, subjectsOf } from '../families';
import { documentFamily } from '../families/document';
import { describe } from '../openapi';
import { pageArgs, pageOf } from '../pagination';
import { resolvePolicy } from '../../common/policy/resolve';
import * as s from '../schemas/console';
import { answers } from '../schemas/views';
import { DOCUMENT_STEPS, mayAct, mayReassign, viewableDocument } from './documents';

describe({ method: 'get', path: '/me/todo', operationId: 'getTodo', summary: "The caller's to-do: unacknowledged notices and own open obligations, most urgent first", label: '我的待办：未签收的通知和本人待办义务（最紧急的在前）', tags: ['我的待办'], responses: answers(s.Todo) });
describe({ method: 'get', path: '/documents', operationId: 'listDocuments', summary: "Documents the caller's unit may see, filtered by state, lead unit, overdue, text", label: '上级文件列表（按状态、牵头单位、是否逾期筛选）', tags: ['上级文件'], request: { query: s.DocumentListQuery }, responses: answers(s.DocumentList) });
describe({
  method: 'get',
  path: '/documents/:id/actions',
  operationId: 'listDocumentActions',
  summary: 'The steps the caller may take on a document now, with their forms (404 for a document the caller may not see)',
  label: '当前登录人此刻可以办理的环节',
  tags: ['上级文件'],
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: answers(s.DocumentActions),
});
describe({ method: 'get', path: '/innovation/selections', operationId: 'listSelections', summary: 'The innovation-experience selections so far', label: '历次创新改革经验评选', tags: ['创新改革经验'], responses: answers(s.SelectionList) });
describe({ method: 'get', path: '/org/units', operationId: 'listUnits', summary: 'The organisation\'s units', label: '单位列表', tags: ['组织'], responses: answers(s.Units) });
describe({ method: 'get', path: '/org/officials', operationId: 'listOfficials', summary: 'Officials, by unit or name', label: '人员列表（按单位或姓名）', tags: ['组织'], request: { query: s.OfficialsQuery }, responses: answers(s.Officials) });

/** Which form the console shows for each document update. */
const FORMS: Record<string, z.infer<typeof s.DocumentAction>['form']> = {
  assignLead: 'lead',
  acknowledge: 'acknowledge',
  openLedger: 'ledger',
  submitDraft: 'draft',
  legalReview: 'review',
  executiveMeeting: 'review',
  adoption: 'review',
  issuance: 'issuance',
  exemption: 'exemption',
  manualChase: 'manual-chase',
  reassign: 'reassign',
  addLedgerTask: 'add-task',
  ledgerProgress: 'task-progress',
  closeLedgerTask: 'task-close',
  acknowledgeDistribution: 'distribution-ack',
};
const MAIN_STEPS = new Set<string>(['assignLead', 'acknowledge', 'openLedger', 'submitDraft', 'legalReview', 'executiveMeeting', 'adoption', 'issuance', 'exemption']);

/** A document's state in words; before its workflow records the first state it is only registered. */
const stateLabel = (state: string) => STATE_LABELS[state as DocumentState] ?? '已登记，正在下发通知';

const documentsVisibleTo = (c: Caller): Prisma.DocumentWhereInput =>
  isAdmin(c) || c.unitId === REFORM_OFFICE_ID ? {} : { OR: [{ leadUnitId: c.unitId }, { participantUnitIds: { has: c.unitId } }, { districtIds: { has: c.unitId } }] };

export function consoleRouter(db: Db, now: () => Date | Promise<Date> = () => new Date()): Router {
  const r = Router();

  r.get('/me/todo', async (req, res) => {
    const c = caller(req);
    const at = await now();
    const policy = await resolvePolicy(db);
    const windowOf = (family: string) => familyOf(undefined, family)?.warningWindow(policy) ?? policy.document.warningWindow;
    const [receipts, board] = await Promise.all([
      db.noticeRecipient.findMany({
        where: { officialId: c.officialId, acknowledgedAt: null },
        include: { notice: true },
        orderBy: { createdAt: 'desc' },
        take: 200,
      }),
      // Obligations without a named official fall to the unit's liaison, as on the overdue board.
      overdueBoard(db, policy, { withinDays: 100 * 366, unitId: c.unitId, now: at }),
    ]);
    const subjects = await subjectsOf(db, receipts.map((x) => x.notice.workflowId));
    const notices = receipts
      .map(({ notice: n }) => ({
        noticeId: n.id,
        kind: n.kind,
        kindLabel: noticeKindLabel(n.subjectType, n.kind),
        title: n.title,
        rule: n.rule,
        explanation: n.explanation,
        dueAt: n.dueAt?.toISOString() ?? null,
        createdAt: n.createdAt.toISOString(),
        light: n.dueAt ? trafficLight(n.dueAt, at, windowOf(n.subjectType)) : null,
        subject: { type: n.subjectType, id: n.subjectId, title: subjects.get(n.workflowId)?.title, reference: subjects.get(n.workflowId)?.reference },
        link: consolePath(n.subjectType, n.subjectId),
      }))
      // Most urgent first: the earliest due date, then the newest notice.
      .sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999') || b.createdAt.localeCompare(a.createdAt));
    const obligations = board.items
      .filter((i) => i.official?.id === c.officialId)
      .map((i) => ({
        obligationId: i.obligationId,
        title: i.title,
        rule: i.rule,
        family: i.family,
        familyTitle: i.familyTitle,
        unitName: i.unit.name,
        dueAt: i.dueAt,
        light: i.light,
        overdue: i.overdue,
        daysOverdue: i.daysOverdue,
        subject: { type: i.family, id: i.subjectId, title: i.subject?.title, reference: i.subject?.reference },
        link: consolePath(i.family, i.subjectId),
      }));
    res.json({ count: notices.length + obligations.length, notices, obligations });
  });

  r.get('/documents', async (req, res) => {
    const c = caller(req);
    const q = s.DocumentListQuery.parse(req.query);
    const at = await now();
    const where: Prisma.DocumentWhereInput = { AND: [documentsVisibleTo(c)] };
    const and = where.AND as Prisma.DocumentWhereInput[];
    if (q.state) and.push({ state: q.state });
    if (q.leadUnit) and.push({ leadUnitId: q.leadUnit });
    if (q.q) and.push({ OR: [{ title: { contains: q.q, mode: 'insensitive' } }, { docNumber: { contains: q.q, mode: 'insensitive' } }] });
    if (q.overdue) {
      const late = await db.obligation.findMany({ where: { family: 'document', status: 'OPEN', dueAt: { lt: at } }, select: { subjectId: true }, distinct: ['subjectId'] });
      const ids = late.map((o) => o.subjectId);
      and.push(q.overdue === 'true' ? { id: { in: ids } } : { id: { notIn: ids } });
    }
    const rows = await db.document.findMany({
      where,
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      ...pageArgs(q),
    });
    const { page, nextCursor } = pageOf(rows, q.limit);
    const [units, open, policy] = await Promise.all([
      db.unit.findMany({ where: { id: { in: page.map((d) => d.leadUnitId).filter((x): x is string => !!x) } }, select: { id: true, name: true } }),
      db.obligation.findMany({ where: { family: 'document', status: 'OPEN', subjectId: { in: page.map((d) => d.id) } }, orderBy: { dueAt: 'asc' } }),
      resolvePolicy(db),
    ]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    res.json({
      nextCursor,
      states: STATE_LABELS,
      items: page.map((d) => {
        const first = open.find((o) => o.subjectId === d.id);
        return {
          id: d.id,
          docNumber: d.docNumber,
          title: d.title,
          level: d.level,
          state: d.state,
          stateLabel: stateLabel(d.state),
          leadUnitId: d.leadUnitId,
          leadUnitName: d.leadUnitId ? (unitName.get(d.leadUnitId) ?? d.leadUnitId) : null,
          receivedAt: d.receivedAt.toISOString(),
          dueAt: d.dueAt?.toISOString() ?? null,
          light: first ? trafficLight(first.dueAt, at, policy.document.warningWindow) : null,
          overdue: !!first && first.dueAt.getTime() < at.getTime(),
        };
      }),
    });
  });

  // What the caller may do now: the route's own permission rule (documents.ts) and the
  // state machine the workflow's validators use. The workflow still decides: a step that
  // became impossible in the meantime is refused with its reason.
  r.get('/documents/:id/actions', async (req, res) => {
    const c = caller(req);
    const doc = await viewableDocument(db, c, String(req.params.id));
    const ledgerTasks = await db.ledgerTask.findMany({ where: { documentId: doc.id }, orderBy: { id: 'asc' } });
    const state = doc.state as DocumentState;
    const open = await db.obligation.findMany({ where: { workflowId: doc.workflowId, status: 'OPEN' }, orderBy: { dueAt: 'asc' } });
    const labels = documentFamily.updates ?? {};
    const actions: Array<z.infer<typeof s.DocumentAction>> = [];
    const openTasks = ledgerTasks.filter((t) => t.status === 'OPEN');
    // Until the workflow has recorded its first state (just registered), nothing can be done yet.
    const known = state in STATE_LABELS;
    for (const [path, { who, update }] of known ? DOCUMENT_STEPS : []) {
      if (!mayAct(c, doc, who)) continue;
      const form = FORMS[update];
      const label = labels[update]?.label ?? update;
      if (!form) continue;
      if (MAIN_STEPS.has(update)) {
        if (!refusal(state, update as DocumentStep)) actions.push({ path, form, label });
      } else if (TERMINAL.has(state)) {
        continue;
      } else if (update === 'addLedgerTask') {
        if (state !== 'AWAITING_LEAD' && state !== 'ASSIGNED' && state !== 'PROMPTED') actions.push({ path, form, label });
      } else if (update === 'ledgerProgress' || update === 'closeLedgerTask') {
        for (const t of openTasks) actions.push({ path: path.replace(':taskId', encodeURIComponent(t.id)), form, label: `${label}：${t.title}`, taskId: t.id });
      } else if (update === 'reassign') {
        if (mayReassign(c)) actions.push({ path, form, label });
      } else if (update === 'acknowledgeDistribution') {
        // 印发到区县: each district that has not signed yet (its obligation is open); a district's officials sign for their own.
        for (const o of open) {
          const districtId = o.key.slice(`${doc.workflowId}:distribution:`.length);
          if (o.key.startsWith(`${doc.workflowId}:distribution:`) && (isAdmin(c) || districtId === c.unitId)) actions.push({ path, form, label, districtId });
        }
      } else if (update === 'manualChase') {
        const names = open.map((o) => ({ name: o.key.slice(doc.workflowId.length + 1), title: o.title }));
        if (names.length) actions.push({ path, form, label, obligations: names });
      }
    }
    res.json({ state, stateLabel: stateLabel(state), pending: !known, actions });
  });

  r.get('/innovation/selections', async (_req, res) => {
    const rows = await db.innovationSelection.findMany({ orderBy: { id: 'desc' }, take: 50, include: { _count: { select: { candidates: true } } } });
    res.json({
      items: rows.map((x) => ({
        id: x.id,
        phase: x.phase,
        phaseLabel: PHASE_LABELS[x.phase as SelectionPhase] ?? x.phase,
        phaseDueAt: x.phaseDueAt?.toISOString() ?? null,
        candidates: x._count.candidates,
        approvedAt: x.approvedAt?.toISOString() ?? null,
      })),
    });
  });

  r.get('/org/units', async (_req, res) => {
    res.json({ items: await db.unit.findMany({ orderBy: [{ kind: 'asc' }, { id: 'asc' }], select: { id: true, name: true, kind: true, parentId: true } }) });
  });

  r.get('/org/officials', async (req, res) => {
    const q = s.OfficialsQuery.parse(req.query);
    const items = await db.official.findMany({
      where: { ...(q.unit ? { unitId: q.unit } : {}), ...(q.q ? { OR: [{ name: { contains: q.q } }, { id: { contains: q.q } }] } : {}) },
      orderBy: { id: 'asc' },
      take: 300,
      select: { id: true, name: true, title: true, unitId: true, roles: true, active: true },
    });
    res.json({ items });
  });

  return r;
}
