// What the innovation workflows owe, and who owes it (第十四条). A rollout owes
// each duty on its board; a selection owes each voting unit its ballot in the
// official rounds, each finalist's lead department and leader in charge an
// opinion, the director the review and submission of the list, and each main
// city leader an answer to it. Pure.
import type { Obligation } from '../../common/obligations';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../../common/org';
import type { RolloutCarried, SelectionCarried } from './messages';
import { halfLabel, PHASE_LABELS } from './state';

const RULE = '第十四条';

export function rolloutObligations(s: RolloutCarried, workflowId: string, leaderInChargeId: string | undefined): Obligation[] {
  return s.duties.map((d) => ({
    key: `${workflowId}:${d.name}`,
    title: d.title,
    rule: RULE,
    unitId: d.unitId,
    // A filed lead plan waits for the city leader in charge to approve it.
    officialId: d.kind === 'LEAD_PLAN' && d.submittedAt && !d.doneAt ? leaderInChargeId : undefined,
    dueAt: d.dueAt,
    ...(d.doneAt
      ? { status: 'DONE' as const, reason: d.doneAt > d.dueAt ? '已逾期完成' : '已按时完成', closedAt: d.doneAt }
      : s.state === 'ACCEPTED'
        ? { status: 'CANCELLED' as const, reason: '经验推广已验收，该项未完成' }
        : { status: 'OPEN' as const }),
  }));
}

export const VOTE_TITLES = { MUTUAL: '创新改革经验互评投票', SECOND: '创新改革经验投票（区县和部门）' } as const;

export function selectionObligations(s: SelectionCarried, workflowId: string, selectionId: string): Obligation[] {
  const out: Obligation[] = [];
  for (const round of ['MUTUAL', 'SECOND'] as const) {
    const r = s.votes[round];
    if (!r) continue;
    for (const unitId of r.voters) {
      const voted = r.voted.includes(unitId);
      out.push({
        key: `${workflowId}:vote-${round}:${unitId}`,
        title: VOTE_TITLES[round],
        rule: RULE,
        unitId,
        dueAt: r.dueAt,
        ...(voted ? { status: 'DONE' as const, reason: '已投票' } : r.closed ? { status: 'CANCELLED' as const, reason: '本轮投票已结束，未投票' } : { status: 'OPEN' as const }),
      });
    }
  }
  const opinionsDue = s.phaseDue.OPINIONS;
  if (opinionsDue) {
    const closed = s.phase !== 'OPINIONS';
    for (const c of s.candidates.filter((x) => x.finalRank !== undefined || x.opinions.length)) {
      for (const [role, unitId, officialId, who] of [
        ['LEAD_DEPARTMENT', c.leadUnitId, undefined, '牵头部门'],
        ['LEADER', LEADERSHIP_ID, c.leaderInChargeId ?? s.participants.leaderInChargeId, '市分管领导'],
      ] as const) {
        const given = c.opinions.find((o) => o.role === role);
        out.push({
          key: `${workflowId}:opinion:${c.id}:${role === 'LEADER' ? 'leader' : 'lead'}`,
          title: `对“${c.title}”提出意见（${who}）`,
          rule: RULE,
          unitId,
          officialId,
          dueAt: opinionsDue,
          ...(given ? { status: 'DONE' as const, reason: '已提出意见', closedAt: given.at } : closed ? { status: 'CANCELLED' as const, reason: `${PHASE_LABELS.OPINIONS}已结束，未提出意见` } : { status: 'OPEN' as const }),
        });
      }
    }
  }
  const approvalDue = s.phaseDue.APPROVAL;
  if (approvalDue) {
    out.push({
      key: `${workflowId}:approval`,
      title: `审核${halfLabel(selectionId)}创新改革经验推广名单并报市主要领导`,
      rule: RULE,
      unitId: REFORM_OFFICE_ID,
      officialId: s.participants.directorId,
      dueAt: approvalDue,
      ...(s.phase === 'APPROVAL' ? { status: 'OPEN' as const } : { status: 'DONE' as const, reason: '已报市主要领导', closedAt: s.submission?.at }),
    });
  }
  const leadersDue = s.phaseDue.LEADERS;
  if (leadersDue) {
    for (const officialId of s.participants.mainLeaderIds ?? []) {
      const given = s.agreements?.find((a) => a.by === officialId);
      out.push({
        key: `${workflowId}:agreement:${officialId}`,
        title: `同意${halfLabel(selectionId)}创新改革经验推广名单（市主要领导）`,
        rule: RULE,
        unitId: LEADERSHIP_ID,
        officialId,
        dueAt: leadersDue,
        ...(given
          ? { status: 'DONE' as const, reason: given.agree ? '已同意' : '不同意，已退回市委改革办主任', closedAt: given.at }
          : s.phase === 'LEADERS'
            ? { status: 'OPEN' as const }
            : { status: 'CANCELLED' as const, reason: '推广名单已退回修改' }),
      });
    }
  }
  return out;
}

/** The main city leaders' answer to the submitted list so far: returned by any one's disagreement, agreed once all agree. */
export function leadersAnswer(s: Pick<SelectionCarried, 'agreements' | 'participants'>): 'AGREED' | 'RETURNED' | undefined {
  const given = s.agreements ?? [];
  if (given.some((a) => !a.agree)) return 'RETURNED';
  const leaders = s.participants.mainLeaderIds ?? [];
  return leaders.length > 0 && leaders.every((id) => given.some((a) => a.by === id && a.agree)) ? 'AGREED' : undefined;
}
