// The Chinese text of the innovation family's notices (第十四条). Pure.
import { formatShanghai } from '../common/policy/duration';
import { boardOf, DUTY_STATUS_LABELS, halfLabel, PHASE_LABELS, VERDICT_LABELS, verdictOf, type Duty, type SelectionPhase } from '../workflows/innovation/state';

export type SelectionNoticeKind = 'CALL' | 'VOTE_OPEN' | 'REMINDER' | 'OPINION_REQUEST' | 'APPROVAL_REQUEST' | 'LEADERS_REQUEST' | 'RETURNED' | 'CHASE' | 'RESULT';
export type RolloutNoticeKind = 'START' | 'REMINDER' | 'CHASE' | 'BULLETIN' | 'PROBLEM' | 'SUMMARY';

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export interface SelectionNoticeContext {
  selectionId: string; // "2026-H2"
  phase: SelectionPhase;
  dueAt?: string;
  candidates?: Array<{ rank?: number; title: string; unitName: string; leadUnitName: string }>;
  publicVoteUrl?: string;
  /** RETURNED: the main leader's comment. */
  comment?: string;
}

/** "2026-H2" → "2026年下半年". */
export function renderSelectionNotice(kind: SelectionNoticeKind, c: SelectionNoticeContext): { title: string; body: string } {
  const half = halfLabel(c.selectionId);
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  const list = (c.candidates ?? []).map((x, i) => `${x.rank ?? i + 1}. ${x.title}（${x.unitName}申报，牵头部门：${x.leadUnitName}）`).join('\n');
  switch (kind) {
    case 'CALL':
      return {
        title: `【征集】${half}创新改革经验评选`,
        body: `各区县、各专项小组：\n\n${half}创新改革经验评选现已启动。请结合本地区、本领域改革实践，在系统中申报创新改革经验（附经验材料，并提出建议牵头推广的市直部门），截止时间为${due}。${SIGNATURE}`,
      };
    case 'VOTE_OPEN':
      return c.phase === 'MUTUAL_VOTE'
        ? {
            title: `【互评投票】${half}创新改革经验`,
            body: `各区县、各专项小组：\n\n${half}创新改革经验征集已结束，现开展互评投票（不得为本单位申报的经验投票），请于${due}前在系统中投票。得票前列的经验进入入围名单。${SIGNATURE}`,
          }
        : {
            title: `【投票】${half}创新改革经验入围名单`,
            body: `各区县、各市直部门：\n\n${half}创新改革经验入围名单已产生，现开展区县和部门投票，同时面向社会公开投票，请于${due}前在系统中投票。\n\n入围名单：\n${list}${SIGNATURE}`,
          };
    case 'REMINDER':
      return {
        title: `【到期提醒】${half}创新改革经验评选·${PHASE_LABELS[c.phase]}（${due}截止）`,
        body: `${half}创新改革经验评选“${PHASE_LABELS[c.phase]}”环节将于${due}截止，你单位尚未办理，请抓紧办理。${SIGNATURE}`,
      };
    case 'OPINION_REQUEST':
      return {
        title: `【征求意见】${half}创新改革经验拟推广名单`,
        body: `有关市领导、各牵头部门：\n\n经区县、部门投票和网络公开投票，${half}拟推广的创新改革经验如下（按网络投票得票排序）。请于${due}前在系统中提出意见。\n\n${list}${SIGNATURE}`,
      };
    case 'APPROVAL_REQUEST':
      return {
        title: `【待审核】${half}创新改革经验推广名单`,
        body: `主任：\n\n${half}创新改革经验评选已完成投票和征求意见，请于${due}前审核推广名单，报市主要领导同意。\n\n${list}${SIGNATURE}`,
      };
    case 'LEADERS_REQUEST':
      return {
        title: `【请示】${half}创新改革经验推广名单`,
        body: `市主要领导：\n\n${half}创新改革经验经区县和部门投票、网络公开投票，并征求市分管领导和牵头部门意见，市委改革办主任审核后报请同意（按网络投票得票排序）。请于${due}前审示，同意后即启动推广实施。\n\n${list}${SIGNATURE}`,
      };
    case 'RETURNED':
      return {
        title: `【退回】${half}创新改革经验推广名单`,
        body: `主任：\n\n市主要领导对${half}创新改革经验推广名单提出意见${c.comment ? `：${c.comment}` : ''}。请修改完善后于${due}前重新报送。${SIGNATURE}`,
      };
    case 'CHASE':
      return c.phase === 'LEADERS'
        ? {
            title: `【催办】${half}创新改革经验推广名单待市主要领导审示`,
            body: `市主要领导：\n\n${half}创新改革经验推广名单审示期限（${due}）已到，恳请审示，以便各经验按期推广实施。${SIGNATURE}`,
          }
        : {
            title: `【催办】${half}创新改革经验推广名单待审核报送`,
            body: `主任：\n\n${half}创新改革经验推广名单审核报送期限（${due}）已到，请尽快审核并报市主要领导同意，以便各经验按期推广实施。${SIGNATURE}`,
          };
    case 'RESULT':
      return {
        title: `【公布】${half}创新改革经验推广名单`,
        body: `各区县、各专项小组、各市直部门：\n\n${half}创新改革经验推广名单已经市主要领导同意，现予公布，各牵头部门和区县按照实施意见推广实施。\n\n${list}${SIGNATURE}`,
      };
  }
}

export interface RolloutTerms {
  leadPlanWithin: string; // "1周"
  meetingWithin: string;
  districtPlanWithin: string;
  minTownships: number;
  /** 第二十一条: districts whose own rules differ from the city's terms above. */
  ownTerms?: { unitId: string; districtPlanWithin: string; minTownships: number }[];
}

export interface RolloutNoticeContext {
  terms?: RolloutTerms;
  title: string; // the experience
  leadUnitName: string;
  opinion: { docNumber: string; title: string };
  duty?: Duty;
  dutyUnitName?: string;
  chase?: number;
  unitNames?: Record<string, string>;
  duties?: Duty[];
  districtIds?: string[];
  asOf?: string;
  /** SUMMARY: the reform office's summary document. */
  summary?: { docNumber?: string; title: string };
}

/** 第二十一条: a district with its own implementing rules follows its own terms, named in the notice. */
function ownTermsText(t: RolloutTerms, names: Record<string, string> = {}): string {
  if (!t.ownTerms?.length) return '';
  const each = t.ownTerms.map((o) => `${names[o.unitId] ?? o.unitId}在${o.districtPlanWithin}内报送实施意见和实施方案、至少选择${o.minTownships}个镇办`);
  return `\n\n按照区县实施细则（第二十一条）：${each.join('；')}。`;
}

export function renderRolloutNotice(kind: RolloutNoticeKind, c: RolloutNoticeContext): { title: string; body: string } {
  // Titles may carry their own quotation marks.
  const exp = /^[“"《]/.test(c.title) ? c.title : `“${c.title}”`;
  const d = c.duty;
  const due = d ? formatShanghai(d.dueAt) : '';
  const who = c.dutyUnitName ?? c.leadUnitName;
  const t = c.terms ?? { leadPlanWithin: '1周', meetingWithin: '2周', districtPlanWithin: '1个月', minTownships: 2 };
  switch (kind) {
    case 'START':
      return {
        title: `【推广实施】${c.title}`,
        body: `${c.leadUnitName}、各区县：\n\n根据《${c.opinion.title}》（${c.opinion.docNumber}），创新改革经验${exp}在全市推广实施，由${c.leadUnitName}牵头。请牵头部门在${t.leadPlanWithin}内制定实施方案报市分管领导审定，审定后${t.meetingWithin}内召开部署会；各区县在${t.districtPlanWithin}内制定本地实施意见和实施方案，报区县改革办主任审定；需要在镇办推广的，各区县至少选择${t.minTownships}个镇办推广。${ownTermsText(t, c.unitNames)}${SIGNATURE}`,
      };
    case 'REMINDER':
      return {
        title: `【到期提醒】${c.title}·${d?.title ?? ''}（${due}到期）`,
        body: `${who}：\n\n创新改革经验${exp}推广实施中，你单位“${d?.title ?? ''}”将于${due}到期，请抓紧办理。${SIGNATURE}`,
      };
    case 'CHASE':
      return {
        title: `【催办单】${c.title}·${d?.title ?? ''}${c.chase && c.chase > 1 ? `（第${c.chase}次）` : ''}`,
        body: `${who}：\n\n创新改革经验${exp}推广实施中，你单位“${d?.title ?? ''}”已超过期限（${due}）仍未完成${d?.submittedAt ? '（材料已报送，尚待审定）' : ''}。请立即办理，并在系统中报送。逾期情况将在推广工作通报中列明。${SIGNATURE}`,
      };
    case 'SUMMARY': {
      const name = (id: string) => c.unitNames?.[id] ?? id;
      const lines = (c.duties ?? []).flatMap((x) => {
        const v = verdictOf(x);
        return v ? [`${name(x.unitId)}：${VERDICT_LABELS[v.verdict]}${v.comment ? `（${v.comment}）` : ''}`] : [];
      });
      const doc = c.summary ? `《${c.summary.title}》${c.summary.docNumber ? `（${c.summary.docNumber}）` : ''}` : '验收总结';
      return {
        title: `【验收通报】${c.title}`,
        body: `主任，各区县、各市直部门、各专项小组：\n\n创新改革经验${exp}推广实施验收工作已完成，市委改革办形成${doc}，现报主任并在全市范围内通报。各单位验收结果如下：\n${lines.join('\n')}${SIGNATURE}`,
      };
    }
    case 'PROBLEM':
      return {
        title: `【整改通知】${c.title}`,
        body: `${who}：\n\n督查发现创新改革经验${exp}推广中存在以下问题：${typeof d?.data?.problem === 'string' ? d.data.problem : ''}\n\n请于${due}前在系统中报送整改方案。${SIGNATURE}`,
      };
    case 'BULLETIN': {
      const board = boardOf(c.duties ?? [], c.districtIds ?? [], new Date(c.asOf ?? Date.now()));
      const name = (id: string) => c.unitNames?.[id] ?? id;
      const line = (r: (typeof board.districts)[number]) => {
        const late = r.items.filter((i) => i.status === 'LATE').map((i) => `${i.title}（${DUTY_STATUS_LABELS[i.status]}）`);
        return `${name(r.unitId)}：完成${r.done}项，办理中${r.open}项${late.length ? `，逾期：${late.join('；')}` : ''}`;
      };
      return {
        title: `【推广工作通报】${c.title}（截至${c.asOf ? formatShanghai(c.asOf) : ''}）`,
        body: `各有关单位：\n\n现将创新改革经验${exp}推广实施进展通报如下。${board.city.length ? `\n\n市级：\n${board.city.map(line).join('\n')}` : ''}\n\n区县：\n${board.districts.map(line).join('\n')}${SIGNATURE}`,
      };
    }
  }
}
