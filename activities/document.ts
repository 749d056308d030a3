// Activities of the document lifecycle (第四条, 第五条): persist what the
// workflow decided, and issue its notices. Each is idempotent: a retry finds
// the rows it wrote (unique business keys) and the e-mails it sent.
import type { Db } from '../common/db';
import { Prisma } from '../generated/prisma/client';
import type { DocumentState } from '../workflows/document/state';
import type { LedgerTaskView } from '../workflows/document/messages';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { renderDocumentNotice, type DocumentNoticeKind } from './documentTexts';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../common/org';

export interface ObligationSpec {
  key: string;
  title: string;
  rule: string;
  unitId: string;
  officialId?: string;
  dueAt: string;
}

export interface RecordDocumentArgs {
  documentId: string;
  workflowId: string;
  state: DocumentState;
  dueAt?: string;
  leadUnitId?: string;
  linkedDocNumber?: string;
  exemptReason?: string;
  event?: { key: string; step: string; actorId?: string; at: string; data?: Record<string, unknown> };
  /** The complete set of this document's open obligations; others are closed. */
  obligations: ObligationSpec[];
  tasks?: LedgerTaskView[];
}

export interface DocumentNoticeArgs {
  workflowId: string;
  documentId: string;
  kind: DocumentNoticeKind;
  /** Unique within the workflow: the notice key is workflowId + step. */
  step: string;
  explanation: NoticeExplanation;
  dueAt?: string;
  leadUnitId?: string;
  participantUnitIds: string[];
  responsibleIds?: string[];
  task?: LedgerTaskView;
  /** Copy the city leader in charge (escalation after repeated follow-ups). */
  escalate?: boolean;
  createdBy?: string;
  note?: string;
  followUp?: number;
}

export function createDocumentActivities(db: Db, mailer: Mailer) {
  async function officialsWith(unitIds: string[], roles: string[]): Promise<string[]> {
    if (unitIds.length === 0) return [];
    const rows = await db.official.findMany({
      where: { unitId: { in: unitIds }, active: true, roles: { hasSome: roles as never } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => r.id);
  }

  async function recipients(a: DocumentNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const lead = a.leadUnitId ? [a.leadUnitId] : [REFORM_OFFICE_ID];
    const responsible = a.responsibleIds?.length ? a.responsibleIds : await officialsWith(lead, ['LIAISON']);
    const leaderInCharge = await officialsWith(lead, ['LEADER_IN_CHARGE']);
    const director = await officialsWith([REFORM_OFFICE_ID], ['DIRECTOR']);
    switch (a.kind) {
      case 'PROMPT':
        return { to: [...responsible, ...leaderInCharge], cc: await officialsWith(a.participantUnitIds, ['LIAISON']) };
      case 'ASSIGNMENT':
        return { to: [...responsible, ...leaderInCharge], cc: await officialsWith(a.participantUnitIds, ['LIAISON']) };
      case 'REMINDER':
        return { to: responsible, cc: [] };
      case 'CHASE':
        return { to: [...responsible, ...leaderInCharge], cc: [] };
      case 'ORDER':
        return { to: await officialsWith(lead, ['HEAD']), cc: director };
      case 'ORDER_FOLLOW_UP': {
        const cc = [...director];
        if (a.escalate) cc.push(...(await officialsWith([LEADERSHIP_ID], ['LEADER_IN_CHARGE'])));
        return { to: [...(await officialsWith(lead, ['HEAD'])), ...responsible], cc };
      }
      case 'LEDGER_DISPATCH':
        return { to: a.task ? [a.task.ownerId] : responsible, cc: [] };
      case 'MANUAL_CHASE':
        return a.task ? { to: [a.task.ownerId], cc: [] } : { to: [...responsible, ...leaderInCharge], cc: [] };
    }
  }

  return {
    async recordDocument(a: RecordDocumentArgs): Promise<void> {
      await db.$transaction(async (tx) => {
        if (a.event) {
          const seen = await tx.workflowEvent.findUnique({ where: { key: a.event.key }, select: { id: true } });
          if (!seen) {
            await tx.workflowEvent.create({
              data: {
                key: a.event.key,
                workflowId: a.workflowId,
                family: 'document',
                subjectId: a.documentId,
                revision: 0,
                step: a.event.step,
                actorId: a.event.actorId ?? null,
                at: new Date(a.event.at),
                data: (a.event.data ?? {}) as Prisma.InputJsonValue,
              },
            });
          }
        }
        await tx.document.update({
          where: { id: a.documentId },
          data: {
            state: a.state,
            dueAt: a.dueAt ? new Date(a.dueAt) : undefined,
            leadUnitId: a.leadUnitId,
            linkedDocNumber: a.linkedDocNumber,
            exemptReason: a.exemptReason,
          },
        });
        for (const t of a.tasks ?? []) {
          const data = {
            title: t.title,
            unitId: t.unitId,
            ownerId: t.ownerId,
            dueAt: new Date(t.dueAt),
            status: t.status,
            closedAt: t.closedAt ? new Date(t.closedAt) : null,
          };
          await tx.ledgerTask.upsert({ where: { id: t.id }, create: { id: t.id, documentId: a.documentId, ...data }, update: data });
        }
        const keep = a.obligations.map((o) => o.key);
        await tx.obligation.updateMany({
          where: { workflowId: a.workflowId, status: 'OPEN', key: { notIn: keep } },
          data: { status: 'DONE', closedAt: new Date() },
        });
        for (const o of a.obligations) {
          const data = { title: o.title, rule: o.rule, unitId: o.unitId, officialId: o.officialId ?? null, dueAt: new Date(o.dueAt), status: 'OPEN', closedAt: null };
          await tx.obligation.upsert({
            where: { key: o.key },
            create: { key: o.key, workflowId: a.workflowId, family: 'document', subjectId: a.documentId, ...data },
            update: data,
          });
        }
      });
    },

    async sendDocumentNotice(a: DocumentNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const doc = await db.document.findUniqueOrThrow({ where: { id: a.documentId } });
      const unitIds = [a.leadUnitId, a.task?.unitId].filter((u): u is string => !!u);
      const units = await db.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, name: true } });
      const unitName = (id?: string) => units.find((u) => u.id === id)?.name ?? '市委改革办';
      const { title, body } = renderDocumentNotice(a.kind, {
        docNumber: doc.docNumber,
        docTitle: doc.title,
        leadUnitName: unitName(a.leadUnitId),
        dueAt: a.dueAt,
        task: a.task ? { title: a.task.title, unitName: unitName(a.task.unitId), dueAt: a.task.dueAt } : undefined,
        note: a.note,
        followUp: a.followUp,
      });
      const { to, cc } = await recipients(a);
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'document',
        subjectId: a.documentId,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.dueAt,
        to,
        cc,
        createdBy: a.createdBy,
      });
    },
  };
}
