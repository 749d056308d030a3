// Activities of the standing duties (第十五条(一)(二), 第十七条(二)): the year's
// selected innovation experiences for the brochure, the policy in force, and
// the notices (the records go through activities/records). Idempotent:
// notices are stored once per key and e-mailed once per recipient.
import type { Db } from '../common/db';
import { PROPAGANDA_ID, REFORM_OFFICE_ID } from '../common/org';
import type { Policy } from '../common/policy';
import { resolvePolicy } from '../common/policy/resolve';
import type { Experience } from '../workflows/standingDuties/state';
import { renderDutiesNotice, type DutiesNoticeKind } from './dutiesTexts';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { officialsOf } from './officials';

export interface DutiesNoticeArgs {
  year: number;
  workflowId: string;
  kind: DutiesNoticeKind;
  step: string;
  unitIds: string[];
  week?: string;
  missed?: string[];
  experiences?: string[];
  plan?: string;
  explanation: NoticeExplanation;
}

export function createDutiesActivities(db: Db, mailer: Mailer) {
  return {
    /** 第十五条(二): the experiences the year's two half-year selections approved (第十四条), in their final order. */
    async dutiesExperiences(year: number): Promise<Experience[]> {
      const rows = await db.innovationCandidate.findMany({
        where: { approved: true, selectionId: { in: [`${year}-H1`, `${year}-H2`] } },
        orderBy: [{ selectionId: 'asc' }, { finalRank: 'asc' }, { id: 'asc' }],
        select: { id: true, title: true, unitId: true, selectionId: true },
      });
      return rows;
    },

    /** The policy a new year runs under: the city's. */
    async resolveDutiesPolicy(): Promise<Policy> {
      return resolvePolicy(db);
    },

    async sendDutiesNotice(a: DutiesNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const units = await db.unit.findMany({ where: { id: { in: a.unitIds } }, select: { id: true, name: true } });
      const { title, body } = renderDutiesNotice(a.kind, {
        year: a.year,
        addressee: a.unitIds.map((id) => units.find((u) => u.id === id)?.name ?? id).join('、'),
        dueAt: a.explanation.dueAt,
        week: a.week,
        missed: a.missed,
        experiences: a.experiences,
        plan: a.plan,
      });
      const propaganda = a.unitIds.includes(PROPAGANDA_ID);
      // 第十五条(一): the propaganda department's responsible officials; the office's own duties to its director and staff.
      const to = propaganda ? await officialsOf(db, [PROPAGANDA_ID], ['LEADER_IN_CHARGE', 'LIAISON']) : await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR', 'DEPUTY_DIRECTOR', 'LIAISON']);
      // A chase goes to the department's head as well, and to the reform office for its record.
      const cc = a.kind === 'WEEK_CHASE' ? [...(await officialsOf(db, [PROPAGANDA_ID], ['HEAD'])), ...(await officialsOf(db, [REFORM_OFFICE_ID], ['LIAISON']))] : [];
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'duties',
        subjectId: String(a.year),
        title,
        body,
        explanation: a.explanation,
        dueAt: a.explanation.dueAt,
        to,
        cc,
      });
    },
  };
}
