// Activities of the pilot family (第十一条 (五)–(七), 第十三条): issue its notices
// (its record goes through activities/records). Idempotent: a retry finds the
// notice it stored (business key) and the e-mails it sent.
import type { Db } from '../common/db';
import { REFORM_OFFICE_ID } from '../common/org';
import { LEVEL_LABELS, type PilotLevel } from '../workflows/pilot/state';
import type { PilotPlan } from '../workflows/pilot/messages';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { officialsOf } from './officials';
import { renderPilotNotice, type PilotNoticeKind } from './pilotTexts';

export interface PilotNoticeArgs {
  workflowId: string;
  pilotId: string;
  kind: PilotNoticeKind;
  /** Unique within the workflow: the notice key is workflowId + step. */
  step: string;
  explanation: NoticeExplanation;
  dueAt?: string;
  /** The plan as the workflow holds it now (a revised plan is newer than the registration). */
  plan?: PilotPlan;
  dispatch?: number;
  approved?: boolean;
  reportedTo?: PilotLevel[];
  summary?: string;
  note?: string;
  createdBy?: string;
}

export function createPilotActivities(db: Db, mailer: Mailer) {
  const officials = (unitIds: string[], roles: string[]) => officialsOf(db, unitIds, roles);

  async function recipients(a: PilotNoticeArgs, leadUnitId: string, participantUnitIds: string[]): Promise<{ to: string[]; cc: string[] }> {
    const lead = [leadUnitId];
    const leader = a.plan ? [a.plan.leaderId] : [];
    const director = await officials([REFORM_OFFICE_ID], ['DIRECTOR']);
    switch (a.kind) {
      case 'LEDGER':
        return { to: [...(await officials(lead, ['LIAISON', 'LEADER_IN_CHARGE'])), ...leader], cc: await officials(participantUnitIds, ['LIAISON']) };
      case 'EXPERIENCE':
        return { to: await officials([REFORM_OFFICE_ID], ['DIRECTOR', 'DEPUTY_DIRECTOR']), cc: await officials(lead, ['LIAISON']) };
      case 'DISPATCH':
      case 'REMINDER':
        return { to: [...(await officials(lead, ['LIAISON'])), ...leader], cc: [] };
      case 'PROGRESS_CHASE':
        return { to: await officials(lead, ['LIAISON', 'LEADER_IN_CHARGE']), cc: [] };
      case 'OVERDUE':
        return { to: [...(await officials(lead, ['HEAD'])), ...leader], cc: director };
      case 'ACCEPTANCE_RESULT':
        return { to: [...(await officials(lead, ['LIAISON', 'LEADER_IN_CHARGE'])), ...leader], cc: director };
      case 'UPWARD_REPORT':
        return { to: await officials(lead, ['LIAISON', 'LEADER_IN_CHARGE']), cc: director };
    }
  }

  return {
    async sendPilotNotice(a: PilotNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const pilot = await db.pilot.findUniqueOrThrow({ where: { id: a.pilotId } });
      const people = await db.official.findMany({ where: { id: { in: a.plan ? [a.plan.leaderId] : [] } }, select: { id: true, name: true } });
      const unit = await db.unit.findUnique({ where: { id: pilot.leadUnitId }, select: { name: true } });
      const { title, body } = renderPilotNotice(a.kind, {
        title: pilot.title,
        leadUnitName: unit?.name ?? pilot.leadUnitId,
        levelName: pilot.level ? LEVEL_LABELS[pilot.level as PilotLevel] : undefined,
        plan: a.plan && { leaderName: people[0]?.name ?? a.plan.leaderId, goals: a.plan.goals, dueAt: a.plan.dueAt, resultsUse: a.plan.resultsUse },
        dueAt: a.dueAt,
        dispatch: a.dispatch,
        approved: a.approved,
        reportedTo: a.reportedTo?.map((l) => LEVEL_LABELS[l]).join('、'),
        summary: a.summary ?? pilot.summary ?? undefined,
        note: a.note,
      });
      const { to, cc } = await recipients(a, pilot.leadUnitId, pilot.participantUnitIds);
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'pilot',
        subjectId: a.pilotId,
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
