// The meeting family (第三条 第一议题, 第四条(一)) as pure rules: the kinds of
// reform meeting 第三条 lists, and what a superior leading-group meeting's
// workflow is doing. Shared by the workflow, the API and the tests.

export type SuperiorLevel = 'CENTRAL' | 'PROVINCIAL';

/** 第三条(一)–(五): the reform meetings whose first agenda item conveys the latest superior meeting. */
export type MeetingKind = 'LEADING_GROUP' | 'SPECIAL_GROUP' | 'BRIEFING' | 'DEPARTMENT' | 'OTHER';

export const MEETING_KINDS = ['LEADING_GROUP', 'SPECIAL_GROUP', 'BRIEFING', 'DEPARTMENT', 'OTHER'] as const satisfies readonly MeetingKind[];

export const KIND_LABELS: Record<MeetingKind, string> = {
  LEADING_GROUP: '市委及区县党（工）委深改领导小组会议（第三条（一））',
  SPECIAL_GROUP: '市及区县改革专项小组会议（第三条（二））',
  BRIEFING: '市及区县每月改革督导情况通报会议（第三条（三））',
  DEPARTMENT: '市直及区县直部门改革工作会议（第三条（四））',
  OTHER: '其他改革工作会议（第三条（五））',
};

export const LEVEL_LABELS: Record<SuperiorLevel, string> = { CENTRAL: '中央', PROVINCIAL: '省委' };

export type SuperiorMeetingState =
  | 'CONVEYING' // the listed bodies still owe their conveying meetings (第四条(一))
  | 'CONVEYED' // every listed body conveyed it; it stays the latest, judging first agenda items (第三条)
  | 'SUPERSEDED'; // a newer superior meeting was registered: it judges from now on

export const STATE_LABELS: Record<SuperiorMeetingState, string> = {
  CONVEYING: '传达学习中',
  CONVEYED: '已全部传达学习',
  SUPERSEDED: '已有更新的上级会议',
};

export const TERMINAL: ReadonlySet<SuperiorMeetingState> = new Set(['SUPERSEDED']);
