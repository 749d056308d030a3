// What the administrators' views (timeline, search, overdue board) and the
// console's to-do list need to know about a workflow family, in one
// descriptor per family (api/families/<family>.ts), listed in
// api/families/index.ts. The views themselves stay generic: anything a family
// does not label still shows, under a plain generic label.
import type { Db } from '../../common/db';
import type { DurationSpec, Policy } from '../../common/policy';

export interface TimelineLabel {
  /** What happened, in Chinese, e.g. "报送上会文件初稿". */
  label: string;
  /** The rule behind it, 第N条. Falls back to the family's rule. */
  rule?: string;
  /** A short Chinese detail from the decoded first argument (update/signal/activity input). */
  describe?: (arg: any) => string | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- each family's own update argument; the timeline passes the decoded payload
}

/** The business item a workflow is about, as people name it. */
export interface Subject {
  /** The family key (also Notice.subjectType). */
  type: string;
  /** The item's id in the database (document id, month, selection or rollout id). */
  id: string;
  workflowId: string;
  title: string;
  /** How officials refer to it: a document number (文号), a month, a half year… */
  reference: string;
  /** The units it concerns (with the workflow's DubanUnits: who may read its timeline). */
  unitIds: string[];
}

export interface Family {
  /** The family key: DubanFamily search attribute, Obligation.family, Notice.subjectType. */
  family: string;
  /** The workflow type (the workflow function's name). */
  workflowType: string;
  /** Chinese name of one workflow of this family, e.g. "上级改革文件办理流程". */
  title: string;
  /** The family's default rule, cited where an event has no more specific one. */
  rule: string;
  updates?: Record<string, TimelineLabel>;
  signals?: Record<string, TimelineLabel>;
  activities?: Record<string, TimelineLabel>;
  /** Labels of the DubanState values, for "状态变为…" entries. */
  states?: Record<string, string>;
  /** Notice kinds → the instruments' Chinese names (提示单, 交办单…). */
  noticeKinds: Record<string, string>;
  /** The traffic lights' warning window of this family's obligations (第二十一条: policy, not constants). */
  warningWindow(policy: Policy): DurationSpec;
  /** The subjects of these workflows (those of this family; one query). */
  subjects(db: Db, workflowIds: string[]): Promise<Subject[]>;
  /** The workflow of the subject an official names by its id or reference (a 文号, a month…), if it is one of this family. */
  workflowIdOf(db: Db, key: string): Promise<string | undefined>;
  /** Workflows whose events belong on this one's timeline (a CENTRAL document and its PROVINCIAL one). */
  related?(db: Db, subject: Subject): Promise<Array<{ workflowId: string; reference: string; title: string }>>;
  /** How a related workflow's events are marked on the timeline, e.g. "关联文件". */
  relatedLabel?: string;
}

/** Every family's workflow takes the calendarChanged signal (workflows/calendar.ts): a newly published calendar. */
export const CALENDAR_SIGNALS: Record<string, TimelineLabel> = {
  calendarChanged: { label: '工作日历更新，未到期的期限重新计算', rule: '运行规则（工作日历）', describe: (a) => a?.calendar?.version && `日历版本：${a.calendar.version}` },
};
