// Activities of the meeting family (第三条, 第四条(一)): issue its notices (its
// record goes through activities/records). Idempotent: a retry finds the
// notice it stored (business key) and the e-mails it sent.
import type { Db } from '../common/db';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../common/org';
import type { BodyMeeting } from '../workflows/meeting/messages';
import { KIND_LABELS } from '../workflows/meeting/state';
import type { Mailer } from './mailer';
import { renderMeetingNotice, type MeetingNoticeKind } from './meetingTexts';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { officialsOf } from './officials';

export interface MeetingNoticeArgs {
  workflowId: string;
  superiorMeetingId: string;
  kind: MeetingNoticeKind;
  /** Unique within the workflow: the notice key is workflowId + step. */
  step: string;
  explanation: NoticeExplanation;
  /** The bodies addressed. */
  unitIds: string[];
  chase?: number;
  meeting?: BodyMeeting;
}

export function createMeetingActivities(db: Db, mailer: Mailer) {
  /**
   * Who arranges a body's meetings: its liaison (its head where it has none); the city leading
   * group's meetings are arranged by its office, the reform office's director.
   */
  async function arrangers(unitIds: string[]): Promise<string[]> {
    const out: string[] = [];
    if (unitIds.includes(LEADERSHIP_ID)) out.push(...(await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR'])));
    for (const unitId of unitIds.filter((u) => u !== LEADERSHIP_ID)) {
      const liaisons = await officialsOf(db, [unitId], ['LIAISON']);
      out.push(...(liaisons.length ? liaisons : await officialsOf(db, [unitId], ['HEAD'])));
    }
    return [...new Set(out)];
  }

  async function recipients(a: MeetingNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const director = await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR']);
    switch (a.kind) {
      case 'CONVEY':
      case 'REMINDER':
        return { to: await arrangers(a.unitIds), cc: [] };
      case 'CHASE': {
        const heads = await officialsOf(db, a.unitIds.filter((u) => u !== LEADERSHIP_ID), ['HEAD']);
        return { to: [...new Set([...(await arrangers(a.unitIds)), ...heads])], cc: director };
      }
      case 'FIRST_ITEM_MISSED':
        return { to: await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR', 'DEPUTY_DIRECTOR']), cc: [] };
    }
  }

  return {
    async sendMeetingNotice(a: MeetingNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const superior = await db.superiorMeeting.findUniqueOrThrow({ where: { id: a.superiorMeetingId } });
      const named = [...a.unitIds, ...(a.meeting ? [a.meeting.unitId] : [])];
      const units = await db.unit.findMany({ where: { id: { in: named } }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
      const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id;
      const conveyed = a.meeting?.conveys ? await db.superiorMeeting.findUnique({ where: { id: a.meeting.conveys }, select: { title: true } }) : null;
      const { title, body } = renderMeetingNotice(a.kind, {
        superiorTitle: superior.title,
        superiorHeldAt: superior.heldAt.toISOString(),
        dueAt: a.explanation.dueAt ?? (superior.dueAt ?? superior.heldAt).toISOString(),
        unitNames: a.unitIds.map(unitName),
        chase: a.chase,
        meeting: a.meeting && {
          unitName: unitName(a.meeting.unitId),
          title: a.meeting.title,
          kindLabel: KIND_LABELS[a.meeting.kind],
          heldAt: a.meeting.heldAt,
          firstItem: a.meeting.firstItem,
          conveyedTitle: conveyed?.title,
        },
      });
      const { to, cc } = await recipients(a);
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'meeting',
        subjectId: a.superiorMeetingId,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.kind === 'FIRST_ITEM_MISSED' ? undefined : a.explanation.dueAt,
        to,
        cc,
      });
    },
  };
}
