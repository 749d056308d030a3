// The Chinese text of each notice of the annual evaluation (第九条, 第十四条（三）). Pure.
import { formatShanghai } from '../common/policy/duration';

export type EvaluationNoticeKind =
  | 'START'
  | 'PLAN_REMINDER'
  | 'PLAN_CHASE'
  | 'EVALUATION_NOTICE'
  | 'SCORE_REMINDER'
  | 'SCORE_CHASE'
  | 'VISITS'
  | 'REPORT_REMINDER'
  | 'REPORT_CHASE'
  | 'REVIEW_REQUEST'
  | 'REPORT_TO_LEADERS'
  | 'RESULTS'
  | 'PUBLICATION'
  | 'FOLLOW_UP'
  | 'FOLLOW_UP_CHASE';

export const EVALUATION_NOTICE_LABELS: Record<EvaluationNoticeKind, string> = {
  START: '年度评估启动通知',
  PLAN_REMINDER: '评估方案到期提醒',
  PLAN_CHASE: '评估方案催办',
  EVALUATION_NOTICE: '评估通知',
  SCORE_REMINDER: '自评和评分到期提醒',
  SCORE_CHASE: '自评和评分催报',
  VISITS: '实地评估通知',
  REPORT_REMINDER: '评估报告到期提醒',
  REPORT_CHASE: '评估报告催办',
  REVIEW_REQUEST: '评估报告审核请示',
  REPORT_TO_LEADERS: '评估报告呈报',
  RESULTS: '评估结果通知',
  PUBLICATION: '评估结果宣传函',
  FOLLOW_UP: '整改（问责）通知',
  FOLLOW_UP_CHASE: '整改（问责）催办',
};

export interface EvaluationNoticeContext {
  year: number;
  unitName?: string;
  dueAt?: string;
  evaluator?: string;
  items?: string[];
  experiences?: string[];
  visits?: { chosen: string[]; drawn: string[] };
  reportTitle?: string;
  reportSummary?: string;
  results?: Array<{ unitName: string; score: number }>;
  channels?: string[];
  reason?: string;
  note?: string;
}

const SIGNATURE = '\n\n市委全面深化改革领导小组办公室';

export function renderEvaluationNotice(kind: EvaluationNoticeKind, c: EvaluationNoticeContext): { title: string; body: string } {
  const name = `${c.year}年度改革评估（${c.year - 1}年重大改革事项和创新改革经验）`;
  const due = c.dueAt ? formatShanghai(c.dueAt) : '';
  const to = c.unitName ? `${c.unitName}：\n\n` : '';
  const note = c.note ? `\n\n附言：${c.note}` : '';
  const list = (xs?: string[]) => (xs ?? []).map((x, i) => `${i + 1}. ${x}`).join('\n');
  const text = (title: string, body: string) => ({ title: `【${EVALUATION_NOTICE_LABELS[kind]}】${title}`, body: `${to}${body}${note}${SIGNATURE}` });
  switch (kind) {
    case 'START':
      return text(name, `根据《运行规则》第九条和第十四条，现启动${name}。请于${due}前确定${c.year - 1}年度5项重大改革事项、第三方评估机构，制定评估方案（评估指标、内容、方法、排名和时间安排），并将上年度创新改革经验评估与之合并进行。`);
    case 'PLAN_REMINDER':
      return text(name, `${name}的评估方案将于${due}到期，请抓紧确定评估事项、评估机构和评估方案。`);
    case 'PLAN_CHASE':
      return text(name, `${name}的评估方案已于${due}到期，尚未确定。请立即确定评估事项、第三方评估机构和评估方案。`);
    case 'EVALUATION_NOTICE':
      return text(
        name,
        `经研究，由${c.evaluator ?? '第三方评估机构'}对以下事项开展评估，请做好配合工作。\n\n重大改革事项：\n${list(c.items)}\n\n上年度创新改革经验：\n${list(c.experiences)}\n\n各区县对本区县推广的经验逐项自评打分，并自选2项经验供实地评估（另随机抽取2项）；各牵头部门对所牵头经验在各区县的推广情况评分，并报送书面材料。截止时间：${due}。`,
      );
    case 'SCORE_REMINDER':
      return text(name, `${name}的自评和评分将于${due}截止，你单位尚未报送，请抓紧报送。`);
    case 'SCORE_CHASE':
      return text(name, `${name}的自评和评分已于${due}截止，你单位仍未报送。请立即报送，逾期情况将在评估报告中体现。`);
    case 'VISITS':
      return text(name, `评估组将对你区县以下经验开展实地评估，请做好准备：\n\n自选：\n${list(c.visits?.chosen)}\n\n随机抽取：\n${list(c.visits?.drawn)}`);
    case 'REPORT_REMINDER':
      return text(name, `${name}的评估报告将于${due}到期，请督促评估机构按期形成报告。`);
    case 'REPORT_CHASE':
      return text(name, `${name}的评估报告已于${due}到期，尚未提交。请立即督促评估机构提交评估报告。`);
    case 'REVIEW_REQUEST':
      return text(name, `评估机构已提交《${c.reportTitle ?? ''}》，请审核。\n\n${c.reportSummary ?? ''}`);
    case 'REPORT_TO_LEADERS':
      return text(name, `市委改革办审核后呈报《${c.reportTitle ?? ''}》，请审定，并明确评估结果的公开方式。\n\n${c.reportSummary ?? ''}`);
    case 'RESULTS':
      return text(name, `${name}结果经市领导审定，现予通报：\n\n${(c.results ?? []).map((r, i) => `${i + 1}. ${r.unitName} ${r.score}分`).join('\n')}`);
    case 'PUBLICATION':
      return text(name, `${name}结果经市领导审定同意公开，请通过${(c.channels ?? []).join('、') || '媒体'}予以公布。\n\n《${c.reportTitle ?? ''}》\n${c.reportSummary ?? ''}`);
    case 'FOLLOW_UP':
      return text(name, `根据评估结果（${c.reason ?? ''}），请于${due}前报送整改落实（问责）情况。`);
    case 'FOLLOW_UP_CHASE':
      return text(name, `根据评估结果（${c.reason ?? ''}）应于${due}前报送的整改落实（问责）情况尚未报送，请立即报送。`);
  }
}
