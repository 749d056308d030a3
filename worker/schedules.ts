// The Temporal Schedules duban relies on, created idempotently when the
// worker starts (worker/main.ts): what a schedule starts needs a worker to run
// it. A Schedule, not a cron workflow: it can be paused, triggered by hand and
// described (next action times) from the UI and CLI. Each starts a small
// starter workflow that gives the period's workflow its business id (a
// schedule appends its nominal time to the ids it starts) and runs the period
// once (REJECT_DUPLICATE).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions, type ScheduleSpec } from '@temporalio/client';
import type { Duration, Workflow } from '@temporalio/common';
import { TASK_QUEUE } from '../common/taskQueues';
import { cycleScheduleWorkflow } from '../workflows/cycle/workflow';
import { evaluationScheduleWorkflow } from '../workflows/evaluation/workflow';
import { explorationScheduleWorkflow } from '../workflows/exploration/workflow';
import { pilotSeekingScheduleWorkflow } from '../workflows/pilotSeeking/workflow';
import { selectionScheduleWorkflow } from '../workflows/innovation/selection';
import { standingDutiesScheduleWorkflow } from '../workflows/standingDuties/workflow';

/** 第六条 一月一调度: the monthly 六个一 cycle starts at 00:00 on the 1st, Beijing time. */
export const CYCLE_SCHEDULE_ID = 'duban-cycle-monthly';
/** 第十四条 每半年: the innovation-experience selection starts at 00:00 on 1 January and 1 July. */
export const SELECTION_SCHEDULE_ID = 'duban-selection-half-yearly';
/** 第十二条(一) 每年元月份: the year's innovation items start at 09:00 on 5 January. */
export const EXPLORATION_SCHEDULE_ID = 'duban-exploration-yearly';
/** 第九条, 第十四条（三）: the annual evaluation starts at 00:00 on 1 March. */
export const EVALUATION_SCHEDULE_ID = 'duban-evaluation-march';
/** 第十一条（二）（四） 每季度: the quarter's seeking of pilots starts at 00:00 on the first day of each quarter. */
export const PILOT_SEEKING_SCHEDULE_ID = 'duban-pilot-seeking-quarterly';
/** 第十五条（一）（二）, 第十七条（二）: the year's standing duties start at 00:00 on 1 January. */
export const DUTIES_SCHEDULE_ID = 'duban-duties-yearly';

interface Period {
  scheduleId: string;
  calendar: NonNullable<ScheduleSpec['calendars']>[number];
  starter: Workflow;
  /** A period missed while the server was down is still started within this window. */
  catchupWindow: Duration;
  family: string;
  rule: string;
}

const PERIODS: Period[] = [
  { scheduleId: CYCLE_SCHEDULE_ID, calendar: { dayOfMonth: 1, hour: 0, minute: 0, comment: '每月1日0时启动“六个一”督导（第六条）' }, starter: cycleScheduleWorkflow, catchupWindow: '1 day', family: 'cycle', rule: '第六条' },
  {
    scheduleId: SELECTION_SCHEDULE_ID,
    calendar: { month: ['JANUARY', 'JULY'], dayOfMonth: 1, hour: 0, minute: 0, comment: '每年1月1日、7月1日0时启动半年度创新改革经验评选（第十四条）' },
    starter: selectionScheduleWorkflow,
    catchupWindow: '7 days',
    family: 'selection',
    rule: '第十四条',
  },
  {
    scheduleId: EXPLORATION_SCHEDULE_ID,
    calendar: { month: 'JANUARY', dayOfMonth: 5, hour: 9, minute: 0, comment: '每年元月下发探索创新改革事项提报通知（第十二条）' },
    starter: explorationScheduleWorkflow,
    catchupWindow: '7 days',
    family: 'exploration',
    rule: '第十二条',
  },
  {
    scheduleId: EVALUATION_SCHEDULE_ID,
    calendar: { month: 'MARCH', dayOfMonth: 1, hour: 0, minute: 0, comment: '每年3月1日0时启动年度改革评估（第九条、第十四条）' },
    starter: evaluationScheduleWorkflow,
    catchupWindow: '1 day',
    family: 'evaluation',
    rule: '第九条',
  },
  {
    scheduleId: PILOT_SEEKING_SCHEDULE_ID,
    calendar: { month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], dayOfMonth: 1, hour: 0, minute: 0, comment: '每季度首日0时启动争取试点工作：线索交办、一月一对接、季度通报（第十一条）' },
    starter: pilotSeekingScheduleWorkflow,
    catchupWindow: '7 days',
    family: 'pilotSeeking',
    rule: '第十一条',
  },
  {
    scheduleId: DUTIES_SCHEDULE_ID,
    calendar: { month: 'JANUARY', dayOfMonth: 1, hour: 0, minute: 0, comment: '每年1月1日0时启动常态化工作：媒体每周惠民生稿件、12月宣传册、高校专题培训班（第十五条、第十七条）' },
    starter: standingDutiesScheduleWorkflow,
    catchupWindow: '7 days',
    family: 'duties',
    rule: '第十五条、第十七条',
  },
];

function scheduleOf(p: Period, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: p.scheduleId,
    spec: { calendars: [p.calendar], timezone: 'Asia/Shanghai' },
    action: {
      type: 'startWorkflow',
      workflowType: p.starter,
      // No arguments and no memo: the payload codec would seal them for the schedule's base
      // workflow id, not for the "<id>-<time>" of each started workflow (common/codec.ts).
      args: [],
      taskQueue,
      // The schedule appends the nominal time; the starter gives the period's workflow its business id.
      workflowId: `${p.family}-schedule`,
    },
    policies: { catchupWindow: p.catchupWindow, overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    memo: { family: p.family, rule: p.rule },
  };
}

/** One schedule's options, by its id (tests create a single one). */
export function scheduleOptions(scheduleId: string, taskQueue: string = TASK_QUEUE): ScheduleOptions {
  const p = PERIODS.find((x) => x.scheduleId === scheduleId);
  if (!p) throw new Error(`no schedule ${scheduleId}`);
  return scheduleOf(p, taskQueue);
}

/** Every schedule's id (a test leaves the dev server without them). */
export const SCHEDULE_IDS = PERIODS.map((p) => p.scheduleId);

/**
 * Creates duban's schedules, or brings an existing one's spec and action up to
 * date (a redeploy may change them). Safe to call at every start.
 */
export async function ensureSchedules(client: Client, taskQueue: string = TASK_QUEUE): Promise<void> {
  for (const options of PERIODS.map((p) => scheduleOf(p, taskQueue))) {
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: { ...prev.policies, ...options.policies } }));
    }
  }
}
