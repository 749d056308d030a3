// What the yearly innovation items owe, and who owes it (第十二条): each district
// and department its submission, each special group its signed first review,
// the reform office its review and each month's comment, the director the
// approval, each implementing unit its monthly progress report. Pure: the
// workflow records these, and its duties remind and chase the open ones.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { ExplorationCarried } from './messages';
import { groupSigned, implementingUnits, reportedRound, reviewingGroups, trackedIn } from './state';

const RULE = '第十二条';

/** An obligation with its name inside the workflow and when it became owed (reminders start after it). */
export interface Owed extends Omit<Obligation, 'key'> {
  name: string;
  openedAt: string;
}

export function explorationOwed(s: ExplorationCarried): Owed[] {
  const out: Owed[] = [];
  const closedYear = s.phase === 'CLOSED';
  const pending = { status: closedYear ? ('CANCELLED' as const) : ('OPEN' as const), ...(closedYear ? { reason: '年度追踪已结束，未办理' } : {}) };
  const call = s.phases.CALL!;
  for (const unitId of s.setup.submitters) {
    const mine = s.items.filter((i) => i.unitId === unitId);
    out.push({
      name: `submit:${unitId}`,
      title: '提报探索创新改革事项',
      rule: RULE,
      unitId,
      dueAt: call.dueAt!,
      openedAt: call.startedAt,
      ...(mine.length
        ? { status: 'DONE', reason: `已提报${mine.length}项`, closedAt: mine[0].submittedAt }
        : s.phase !== 'CALL'
          ? { status: 'CANCELLED', reason: '提报已截止，未提报事项' }
          : { status: 'OPEN' }),
    });
  }
  const group = s.phases.GROUP_REVIEW;
  if (group) {
    for (const groupId of reviewingGroups(s.items)) {
      const at = s.items.find((i) => i.groupId === groupId && i.groupReview)?.groupReview?.at;
      out.push({
        name: `group-review:${groupId}`,
        title: '初审探索创新改革事项（专项小组组长审核签字）',
        rule: RULE,
        unitId: groupId,
        dueAt: group.dueAt!,
        openedAt: group.startedAt,
        ...(groupSigned(s.items, groupId)
          ? { status: 'DONE', reason: '已审核签字', closedAt: at }
          : s.phase !== 'GROUP_REVIEW'
            ? { status: 'CANCELLED', reason: '初审已由市委改革办截止，未审核' }
            : pending),
      });
    }
  }
  const office = s.phases.OFFICE_REVIEW;
  if (office) {
    const at = s.items.find((i) => i.officeReview)?.officeReview?.at;
    out.push({
      name: 'office-review',
      title: '复审探索创新改革事项',
      rule: RULE,
      unitId: REFORM_OFFICE_ID,
      dueAt: office.dueAt!,
      openedAt: office.startedAt,
      ...(s.phase !== 'OFFICE_REVIEW' && s.phases.APPROVAL ? { status: 'DONE', reason: '已复审', closedAt: at } : pending),
    });
  }
  const approval = s.phases.APPROVAL;
  if (approval) {
    out.push({
      name: 'approval',
      title: '审定探索创新改革事项',
      rule: RULE,
      unitId: REFORM_OFFICE_ID,
      officialId: s.setup.directorId,
      dueAt: approval.dueAt!,
      openedAt: approval.startedAt,
      ...(s.approvedAt ? { status: 'DONE', reason: '已审定', closedAt: s.approvedAt } : pending),
    });
  }
  s.rounds.forEach((r, i) => {
    const openedAt = i === 0 ? s.approvedAt! : s.rounds[i - 1].reportsDueAt;
    for (const unitId of r.units ?? implementingUnits(s.items)) {
      // 第十二条(三): a unit whose items were all withdrawn during the round owes it no more.
      const tracked = s.items.some((x) => x.unitId === unitId && trackedIn(x, r.round));
      out.push({
        name: `progress-${r.round}:${unitId}`,
        title: `报送探索创新改革事项第${r.round}次月度进展`,
        rule: RULE,
        unitId,
        dueAt: r.reportsDueAt,
        openedAt,
        ...(!tracked ? { status: 'CANCELLED', reason: '事项已调整撤销，无需报送' } : reportedRound(s.items, unitId, r.round) ? { status: 'DONE', reason: '已报送进展' } : pending),
      });
    }
    out.push({
      name: `comment-${r.round}`,
      title: `点评探索创新改革事项第${r.round}次月度进展`,
      rule: RULE,
      unitId: REFORM_OFFICE_ID,
      dueAt: r.commentDueAt,
      openedAt: r.reportsDueAt,
      ...(r.comment ? { status: 'DONE', reason: '已点评', closedAt: r.comment.at } : pending),
    });
  });
  return out;
}

export function explorationObligations(s: ExplorationCarried, workflowId: string): Obligation[] {
  return explorationOwed(s).map(({ name, openedAt: _openedAt, ...o }) => ({ key: `${workflowId}:${name}`, ...o }));
}

