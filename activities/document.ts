// Activities of the document lifecycle (第四条, 第五条): issue its notices
// (its record goes through activities/records; at arrival, with its first
// notice in one activity). Idempotent: a retry finds the
// notice it stored (business key) and the e-mails it sent.
import { createRecordActivities, type RecordChange } from './records';
import type { Db } from '../common/db';
import type { LedgerTaskView } from '../workflows/document/messages';
import type { Mailer } from './mailer';
import { officialsOf } from './officials';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { renderDocumentNotice, type DocumentNoticeKind } from './documentTexts';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../common/org';

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
  /** The district a distribution notice (印发到区县) goes to. */
  districtId?: string;
  /** A duty already due when the document was registered (a backlog imported late): since when, and when it was registered. */
  late?: { dueSince: string; registeredAt: string };
  /** Copy the city leader in charge (escalation after repeated follow-ups). */
  escalate?: boolean;
  createdBy?: string;
  note?: string;
  followUp?: number;
}

export function createDocumentActivities(db: Db, mailer: Mailer) {
  const officialsWith = (unitIds: string[], roles: string[]) => officialsOf(db, unitIds, roles);

  /** Who a notice goes to, by its kind: only the lookups that kind needs, those of one kind at once. */
  async function recipients(a: DocumentNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const lead = a.leadUnitId ? [a.leadUnitId] : [REFORM_OFFICE_ID];
    const responsible = () => (a.responsibleIds?.length ? Promise.resolve(a.responsibleIds) : officialsWith(lead, ['LIAISON']));
    const leaderInCharge = () => officialsWith(lead, ['LEADER_IN_CHARGE']);
    const director = () => officialsWith([REFORM_OFFICE_ID], ['DIRECTOR']);
    const officeLiaisons = () => officialsWith([REFORM_OFFICE_ID], ['LIAISON']);
    const heads = () => officialsWith(lead, ['HEAD']);
    /** The responsible officials and the lead unit's leader in charge: the usual addressees. */
    const responsibleAndLeader = async () => (await Promise.all([responsible(), leaderInCharge()])).flat();
    switch (a.kind) {
      case 'LEAD_REQUEST': {
        const [to, cc] = await Promise.all([officeLiaisons(), director()]);
        return { to, cc };
      }
      case 'LEAD_CHASE':
        return { to: (await Promise.all([officeLiaisons(), director()])).flat(), cc: [] };
      case 'LEDGER_CHASE':
      case 'CHASE':
        return { to: await responsibleAndLeader(), cc: [] };
      case 'DISTRIBUTION':
      case 'DISTRIBUTION_CHASE':
        return { to: await officialsWith([a.districtId!], ['DIRECTOR', 'LIAISON']), cc: [] };
      case 'PROMPT': {
        // 第五条(一): the prompt goes to the departments concerned (to connect with their superiors and
        // prepare); when none is named yet, to the reform office's liaison, who names them.
        if (!a.leadUnitId && a.participantUnitIds.length === 0) {
          const [to, cc] = await Promise.all([responsibleAndLeader(), director()]);
          return { to, cc };
        }
        const [own, concerned] = await Promise.all([a.leadUnitId ? responsibleAndLeader() : [], officialsWith(a.participantUnitIds, ['LIAISON', 'LEADER_IN_CHARGE'])]);
        return { to: [...new Set([...own, ...concerned])], cc: [] };
      }
      case 'ASSIGNMENT': {
        const [to, cc] = await Promise.all([responsibleAndLeader(), officialsWith(a.participantUnitIds, ['LIAISON'])]);
        return { to, cc };
      }
      case 'REMINDER':
        return { to: await responsible(), cc: [] };
      case 'ORDER': {
        const [to, cc] = await Promise.all([heads(), director()]);
        return { to, cc };
      }
      case 'ORDER_FOLLOW_UP': {
        const [head, own, dir, leadership] = await Promise.all([heads(), responsible(), director(), a.escalate ? officialsWith([LEADERSHIP_ID], ['LEADER_IN_CHARGE']) : []]);
        return { to: [...head, ...own], cc: [...dir, ...leadership] };
      }
      case 'LEDGER_DISPATCH':
        return { to: a.task ? [a.task.ownerId] : await responsible(), cc: [] };
      case 'MANUAL_CHASE':
        return a.task ? { to: [a.task.ownerId], cc: [] } : { to: await responsibleAndLeader(), cc: [] };
    }
  }

  async function sendDocumentNotice(a: DocumentNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
    const unitIds = [a.leadUnitId, a.task?.unitId, a.districtId].filter((u): u is string => !!u);
    const [doc, units, { to, cc }] = await Promise.all([
      db.document.findUniqueOrThrow({ where: { id: a.documentId } }),
      db.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, name: true } }),
      recipients(a),
    ]);
    const unitName = (id?: string) => units.find((u) => u.id === id)?.name ?? '市委改革办';
    const { title, body } = renderDocumentNotice(a.kind, {
      docNumber: doc.docNumber,
      docTitle: doc.title,
      leadUnitName: unitName(a.leadUnitId),
      dueAt: a.dueAt,
      task: a.task ? { title: a.task.title, unitName: unitName(a.task.unitId), dueAt: a.task.dueAt } : undefined,
      note: a.note,
      followUp: a.followUp,
      from: a.explanation,
      districtName: a.districtId ? unitName(a.districtId) : undefined,
      late: a.late,
    });
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
  }

  const records = createRecordActivities(db);
  return {
    sendDocumentNotice,
    /**
     * An arrival's first record and its first notice (提示单, 交办单, or the request for a lead unit) in one
     * activity: one round trip through Temporal fewer than two, at the moment documents arrive in bulk. The
     * record goes first, so the notice never names a document the database has not recorded. Retried whole:
     * the recorder skips a revision it holds, the notice finds its key.
     */
    async recordArrival(a: { change: RecordChange; notice: DocumentNoticeArgs }): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      await records.recordChange(a.change);
      return sendDocumentNotice(a.notice);
    },
  };
}
