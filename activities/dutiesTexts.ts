// The Chinese text of the notices of the standing duties (第十五条(一)(二),
// 第十七条(二)). Pure.
import { formatShanghai } from '../common/policy/duration';

export type DutiesNoticeKind = 'WEEK_CHASE' | 'BROCHURE_REMINDER' | 'BROCHURE_CHASE' | 'TRAINING_REMINDER' | 'TRAINING_CHASE';

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export interface DutiesNoticeContext {
  year: number;
  addressee: string;
  dueAt?: string;
  /** WEEK_CHASE: the week's Monday and the media without a piece. */
  week?: string;
  missed?: string[];
  /** BROCHURE_*: the year's selected innovation experiences. */
  experiences?: string[];
  /** TRAINING_*: the class as planned, if it is. */
  plan?: string;
}

export function renderDutiesNotice(kind: DutiesNoticeKind, c: DutiesNoticeContext): { title: string; body: string } {
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  switch (kind) {
    case 'WEEK_CHASE':
      return {
        title: `【催办单】“深化改革惠民生”栏目${c.week}当周未刊播稿件`,
        body: `${c.addressee}：\n\n根据第十五条（一）“各媒体每周至少一次刊播‘深化改革惠民生’稿件”的要求，截至${due}，以下媒体${c.week}当周（周一至周日）未报送刊播稿件，已记为未完成：${(c.missed ?? []).join('、')}。请督促相关媒体按要求刊播，并及时报送刊播情况（标题、日期、链接或期号）。${SIGNATURE}`,
      };
    case 'BROCHURE_REMINDER':
    case 'BROCHURE_CHASE': {
      const list = c.experiences?.length ? c.experiences.map((t, i) => `${i + 1}. ${t}`).join('\n') : '（本年度尚无评选确定的创新改革经验）';
      const lead =
        kind === 'BROCHURE_REMINDER'
          ? `根据第十五条（二）“全市每年12月份集中发放一次创新改革经验宣传册”的要求，请于${due}前完成${c.year}年度宣传册的编印和集中发放，并登记发放情况（日期、册数、发放地点）。`
          : `${c.year}年度创新改革经验宣传册应于${due}前集中发放，12月份已过，尚未登记发放，已记为逾期。请立即办理（第十五条（二））。`;
      return {
        title: kind === 'BROCHURE_REMINDER' ? `【工作提示】${c.year}年度创新改革经验宣传册集中发放` : `【催办单】${c.year}年度创新改革经验宣传册未发放`,
        body: `${c.addressee}：\n\n${lead}\n\n本年度评选确定的创新改革经验：\n${list}${SIGNATURE}`,
      };
    }
    case 'TRAINING_REMINDER':
      return {
        title: `【工作提示】${c.year}年度赴国内知名高校全面深化改革专题培训班`,
        body: `${c.addressee}：\n\n根据第十七条（二）“每年组织一次赴国内知名高校举办全面深化改革专题培训班”的要求，${c.year}年度培训班应于${due}前举办${c.plan ? `，已登记计划：${c.plan}` : '，尚未登记计划（高校、日期、市和区县参训人员）'}。请抓紧组织。${SIGNATURE}`,
      };
    case 'TRAINING_CHASE':
      return {
        title: `【催办单】${c.year}年度高校全面深化改革专题培训班未举办`,
        body: `${c.addressee}：\n\n${c.year}年度赴国内知名高校全面深化改革专题培训班应于${due}前举办，尚未登记举办，已记为逾期${c.plan ? `（计划：${c.plan}）` : ''}。请立即办理（第十七条（二））。${SIGNATURE}`,
      };
  }
}
