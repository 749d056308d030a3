// Activities of the annual evaluation (第九条, 第十四条（三）): read last year's
// innovation experiences, issue the notices (its record goes through
// activities/records). Idempotent: a retry finds the notice it stored
// (business key) and the e-mails it sent.
import type { Db } from '../common/db';
import { LEADERSHIP_ID, PROPAGANDA_ID, REFORM_OFFICE_ID } from '../common/org';
import type { Policy } from '../common/policy';
import { resolvePolicy } from '../common/policy/resolve';
import type { Experience } from '../workflows/evaluation/state';
import { renderEvaluationNotice, type EvaluationNoticeContext, type EvaluationNoticeKind } from './evaluationTexts';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { officialsOf } from './officials';

export interface EvaluationNoticeArgs {
  workflowId: string;
  /** The evaluation's id (its year, e.g. "2027"). */
  evaluationId: string;
  year: number;
  kind: EvaluationNoticeKind;
  /** Unique within the workflow: the notice key is workflowId + step. */
  step: string;
  explanation: NoticeExplanation;
  dueAt?: string;
  /** The units it goes to; the reform office's director and deputy when absent. */
  unitIds?: string[];
  /** Unit ids in the context are named for the reader (results, visits by experience title). */
  context?: Omit<EvaluationNoticeContext, 'year' | 'unitName' | 'dueAt' | 'results'> & { results?: Array<{ unitId: string; score: number }> };
  experiences?: Experience[];
  createdBy?: string;
}

/** Who answers for a unit's evaluation duties. */
const UNIT_ROLES = ['HEAD', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'LIAISON'];

export function createEvaluationActivities(db: Db, mailer: Mailer) {
  async function recipients(a: EvaluationNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const office = await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR', 'DEPUTY_DIRECTOR']);
    switch (a.kind) {
      case 'REVIEW_REQUEST':
        return { to: await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR']), cc: [] };
      case 'REPORT_TO_LEADERS':
        // 第九条（四）: the city's main leaders (市委深改组's leaders), not the special groups' leaders.
        return { to: await officialsOf(db, [LEADERSHIP_ID], ['CITY_LEADER']), cc: office };
      case 'PUBLICATION':
        return { to: await officialsOf(db, [PROPAGANDA_ID], ['HEAD', 'LIAISON']), cc: office };
      default:
        return a.unitIds?.length ? { to: await officialsOf(db, a.unitIds, UNIT_ROLES), cc: [] } : { to: office, cc: [] };
    }
  }

  return {
    /** The city policy a scheduled evaluation runs under. */
    async resolveEvaluationPolicy(): Promise<{ policy: Policy }> {
      return { policy: await resolvePolicy(db) };
    },

    /** 第十四条（三）: the innovation experiences rolled out from the selections of `year` (its two half years). */
    async loadEvaluationExperiences(a: { year: number }): Promise<Experience[]> {
      const rows = await db.innovationRollout.findMany({
        where: { selectionId: { in: [`${a.year}-H1`, `${a.year}-H2`] } },
        orderBy: { id: 'asc' },
        select: { id: true, title: true, leadUnitId: true, districtIds: true },
      });
      return rows.map((r) => ({ id: r.id, title: r.title, leadUnitId: r.leadUnitId, districtIds: [...r.districtIds].sort() }));
    },

    async sendEvaluationNotice(a: EvaluationNoticeArgs): Promise<{ noticeIds: string[]; deliveries: DeliveryResult[] }> {
      // One notice per addressed unit (each names its unit); a notice to the office or the leaders is one.
      const units = a.unitIds?.length && !['REPORT_TO_LEADERS', 'PUBLICATION', 'REVIEW_REQUEST'].includes(a.kind) ? a.unitIds : [undefined];
      const named = [...new Set([...(a.unitIds ?? []), ...(a.context?.results ?? []).map((r) => r.unitId)])];
      const names = new Map((await db.unit.findMany({ where: { id: { in: named } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
      const title = (id: string) => a.experiences?.find((e) => e.id === id)?.title ?? id;
      const noticeIds: string[] = [];
      const deliveries: DeliveryResult[] = [];
      for (const unitId of units) {
        const { title: subject, body } = renderEvaluationNotice(a.kind, {
          ...a.context,
          year: a.year,
          unitName: unitId ? names.get(unitId) ?? unitId : undefined,
          dueAt: a.dueAt,
          visits: a.context?.visits && { chosen: a.context.visits.chosen.map(title), drawn: a.context.visits.drawn.map(title) },
          results: a.context?.results?.map((r) => ({ unitName: names.get(r.unitId) ?? r.unitId, score: r.score })),
        });
        const { to, cc } = await recipients({ ...a, unitIds: unitId ? [unitId] : a.unitIds });
        const { noticeId, delivery } = await issueNotice(db, mailer, {
          workflowId: a.workflowId,
          step: unitId && units.length > 1 ? `${a.step}:${unitId}` : a.step,
          kind: a.kind,
          subjectType: 'evaluation',
          subjectId: a.evaluationId,
          title: subject,
          body,
          explanation: a.explanation,
          dueAt: a.dueAt,
          to,
          cc,
          createdBy: a.createdBy,
        });
        noticeIds.push(noticeId);
        deliveries.push(delivery);
      }
      return { noticeIds, deliveries };
    },
  };
}
