// Display helpers: Shanghai time, Chinese labels for codes the API returns.
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export const fmtTime = (iso?: string | null) => (iso ? dateTime.format(new Date(iso)) : '—');
export const fmtDate = (iso?: string | null) => (iso ? dateOnly.format(new Date(iso)) : '—');

export const LIGHT_LABELS: Record<string, string> = { RED: '已逾期', YELLOW: '临近期限', GREEN: '正常' };
export const LEVEL_LABELS: Record<string, string> = { CENTRAL: '中央文件', PROVINCIAL: '省级文件' };
export const FAMILY_LABELS: Record<string, string> = {
  document: '上级文件',
  cycle: '月度督查',
  selection: '经验评选',
  rollout: '经验推广',
  exploration: '探索创新',
  meeting: '第一议题',
  evaluation: '年度评估',
  pilot: '改革试点',
  pilotSeeking: '争取试点',
  duties: '常态化工作',
};
export const UNIT_KIND_LABELS: Record<string, string> = {
  REFORM_OFFICE: '市委改革办',
  LEADERSHIP: '市领导',
  SPECIAL_GROUP: '专项小组',
  DISTRICT: '区县',
  DEPARTMENT: '市直部门',
  TOWNSHIP: '镇办',
};
export const ROLE_LABELS: Record<string, string> = {
  ADMIN: '管理员',
  DIRECTOR: '主任',
  DEPUTY_DIRECTOR: '专职副主任',
  HEAD: '主要负责人',
  LEADER_IN_CHARGE: '分管领导',
  LIAISON: '联络员',
  DRAFTER: '起草人',
  INSPECTOR: '督查人员',
  CITY_LEADER: '市领导',
  INGEST: '公文交换接口',
};
/** 第三条's kinds of reform meeting, whose first agenda item conveys the latest superior meeting. */
export const MEETING_KIND_LABELS: Record<string, string> = {
  LEADING_GROUP: '深改领导小组会议',
  SPECIAL_GROUP: '改革专项小组会议',
  BRIEFING: '改革督导情况通报会议',
  DEPARTMENT: '部门改革工作会议',
  OTHER: '其他改革工作会议',
};
