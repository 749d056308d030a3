// Activities of the yearly innovation items (第十二条): who takes part, the
// policy in force, and the notices (the records go through activities/records).
// Idempotent: notices are stored once per key and e-mailed once per recipient.
import type { Db } from '../common/db';
import type { NoticeExplanation } from './notices';
import { isCitySpecialGroup, REFORM_OFFICE_ID } from '../common/org';
import type { Policy } from '../common/policy';
import { resolvePolicy } from '../common/policy/resolve';
import type { ExplorationSetup, NoticeItem } from '../workflows/exploration/state';
import { renderExplorationNotice, type ExplorationNoticeKind } from './explorationTexts';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult } from './notices';
import { officialsOf } from './officials';

export interface ExplorationNoticeArgs {
  year: string;
  workflowId: string;
  kind: ExplorationNoticeKind;
  step: string;
  /** The obligation a reminder or chase is about. */
  owed?: { name: string; title: string; unitId: string; officialId?: string; dueAt: string };
  /** The items the notice is about, from the workflow's state (workflows/exploration/state.ts → noticeItems). */
  items: NoticeItem[];
  round?: number;
  /** The round's report deadline and the office's comment on it. */
  reportsDueAt?: string;
  comment?: string;
  chase?: number;
  /** ADJUSTMENT: the office's reason. */
  reason?: string;
  explanation: NoticeExplanation;
}

/** Who receives a unit's notices: district reform offices, department and group liaisons and leaders in charge. */
const CONTACT_ROLES = ['DIRECTOR', 'LIAISON', 'LEADER_IN_CHARGE'];

export function createExplorationActivities(db: Db, mailer: Mailer) {
  const contacts = (unitIds: string[]) => officialsOf(db, unitIds, CONTACT_ROLES);
  const office = () => officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR', 'DEPUTY_DIRECTOR', 'LIAISON']);
  const director = () => officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR']);

  async function setupOf(): Promise<ExplorationSetup> {
    const units = await db.unit.findMany({ select: { id: true, name: true, kind: true, parentId: true }, orderBy: { id: 'asc' } });
    const byId = new Map(units.map((u) => [u.id, u]));
    return {
      submitters: units.filter((u) => u.kind === 'DISTRICT' || u.kind === 'DEPARTMENT').map((u) => u.id),
      // A district's own special group is not one of the city's (第七条, 第十六条(三)).
      groups: units.filter((u) => isCitySpecialGroup(u, byId)).map((u) => u.id),
      directorId: (await director())[0],
    };
  }

  async function recipients(a: ExplorationNoticeArgs, setup: ExplorationSetup, items: NoticeItem[]): Promise<{ to: string[]; cc: string[] }> {
    switch (a.kind) {
      case 'CALL':
        return { to: await contacts(setup.submitters), cc: await contacts(setup.groups) };
      case 'CALL_REMINDER': {
        const submitted = new Set(items.map((i) => i.unitId));
        return { to: await contacts(setup.submitters.filter((u) => !submitted.has(u))), cc: [] };
      }
      case 'REVIEW_REQUEST': {
        // 第十二条(二): the group's leader signs the review; its liaison prepares it.
        const groups = [...new Set(items.map((i) => i.groupId))];
        return { to: await officialsOf(db, groups, ['HEAD', 'LIAISON']), cc: [] };
      }
      case 'OFFICE_REVIEW_REQUEST':
        return { to: await office(), cc: [] };
      case 'APPROVAL_REQUEST':
        return { to: await director(), cc: await office() };
      case 'BULLETIN':
        return { to: await contacts([...new Set(items.map((i) => i.unitId))]), cc: await contacts([...new Set(items.map((i) => i.groupId))]) };
      case 'REPORT_REQUEST':
      case 'COMMENT':
      case 'ADJUSTMENT':
        // The round's tracked items, or the ones adjusted: their implementing units.
        return { to: await contacts([...new Set(items.map((i) => i.unitId))]), cc: await director() };
      case 'REMINDER':
      case 'CHASE': {
        const o = a.owed!;
        if (o.officialId) return { to: [o.officialId], cc: [] };
        if (o.unitId === REFORM_OFFICE_ID) return { to: await office(), cc: [] };
        if (o.name.startsWith('group-review:')) return { to: await officialsOf(db, [o.unitId], ['HEAD', 'LIAISON']), cc: [] };
        return { to: await contacts([o.unitId]), cc: a.kind === 'CHASE' ? await officialsOf(db, [o.unitId], ['HEAD']) : [] };
      }
    }
  }

  return {
    /** Who takes part this year (第十二条): districts and city departments submit; the city's special groups review. */
    explorationSetup: setupOf,

    async resolveExplorationPolicy(): Promise<{ policy: Policy }> {
      return { policy: await resolvePolicy(db) };
    },

    async sendExplorationNotice(a: ExplorationNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const [units, setup] = await Promise.all([db.unit.findMany({ select: { id: true, name: true } }), setupOf()]);
      const name = (id: string) => units.find((u) => u.id === id)?.name ?? id;
      const { title, body } = renderExplorationNotice(a.kind, {
        year: a.year,
        dueAt: a.kind === 'REPORT_REQUEST' ? a.reportsDueAt : a.explanation.dueAt,
        items: a.kind === 'CALL_REMINDER' ? [] : a.items.map((i) => ({ id: i.id, title: i.title, kind: i.kind, unitName: name(i.unitId), groupName: name(i.groupId), outcome: outcomeOf(a.kind, i) })),
        owed: a.owed && { title: a.owed.title, unitName: name(a.owed.unitId), dueAt: a.owed.dueAt },
        round: a.round,
        comment: a.comment,
        chase: a.chase,
        reason: a.reason,
      });
      const { to, cc } = await recipients(a, setup, a.items);
      // A reminder when everyone has acted already has nobody to remind.
      if (to.length === 0) return { noticeId: '', delivery: { sent: 0, skipped: 0, failed: 0 } };
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'exploration',
        subjectId: a.year,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.owed?.dueAt ?? a.explanation.dueAt,
        to,
        cc,
      });
    },
  };
}

/** What was decided about an item, as the bulletin says it. */
function outcomeOf(kind: ExplorationNoticeKind, i: NoticeItem): string | undefined {
  if (kind === 'ADJUSTMENT') {
    if (i.withdrawn) return `撤销，自第${i.withdrawn.round}次月度汇总起不再报送进展`;
    return i.added ? `补充，自第${i.added.round}次月度汇总起报送进展` : undefined;
  }
  if (kind !== 'BULLETIN') return undefined;
  const why = (r?: { comment?: string }) => (r?.comment ? `（${r.comment}）` : '');
  if (i.approval) return i.approval.passed ? `审定通过${why(i.approval)}` : `未通过审定${why(i.approval)}`;
  if (i.officeReview && !i.officeReview.passed) return `未通过复审${why(i.officeReview)}`;
  if (i.groupReview && !i.groupReview.passed) return `未通过专项小组初审${why(i.groupReview)}`;
  if (!i.groupReview) return '专项小组未初审';
  return undefined;
}
