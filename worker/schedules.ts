// The Temporal Schedules duban relies on, created idempotently when the
// worker starts (worker/main.ts): what a schedule starts needs a worker to run
// it. A Schedule, not a cron workflow: it can be paused, triggered by hand and
// described (next action times) from the UI and CLI.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { TASK_QUEUE } from '../common/taskQueues';
import { cycleScheduleWorkflow } from '../workflows/cycle/workflow';
import { selectionScheduleWorkflow } from '../workflows/innovation/selection';

/** 第六条 一月一调度: the monthly 六个一 cycle starts at 00:00 on the 1st, Beijing time. */
export const CYCLE_SCHEDULE_ID = 'duban-cycle-monthly';

function cycleSchedule(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: CYCLE_SCHEDULE_ID,
    spec: {
      calendars: [{ dayOfMonth: 1, hour: 0, minute: 0, comment: '每月1日0时启动“六个一”督导（第六条）' }],
      timezone: 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: cycleScheduleWorkflow,
      // No arguments and no memo: the payload codec would seal them for the schedule's base
      // workflow id, not for the "<id>-<time>" of each started workflow (common/codec.ts).
      args: [],
      taskQueue,
      // The schedule appends the nominal time; the starter gives the cycle its business id.
      workflowId: 'cycle-schedule',
    },
    policies: {
      // A month missed while the server was down is still started within a day.
      catchupWindow: '1 day',
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
    },
    memo: { family: 'cycle', rule: '第六条' },
  };
}

/** 第十四条 每半年: the innovation-experience selection starts at 00:00 on 1 January and 1 July, Beijing time. */
export const SELECTION_SCHEDULE_ID = 'duban-selection-half-yearly';

export function selectionSchedule(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: SELECTION_SCHEDULE_ID,
    spec: {
      calendars: [{ month: ['JANUARY', 'JULY'], dayOfMonth: 1, hour: 0, minute: 0, comment: '每年1月1日、7月1日0时启动半年度创新改革经验评选（第十四条）' }],
      timezone: 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: selectionScheduleWorkflow,
      // No arguments and no memo, as the cycle's (the payload codec seals for the base id).
      args: [],
      taskQueue,
      workflowId: 'selection-schedule',
    },
    // A half year missed while the server was down is still started within a week.
    policies: { catchupWindow: '7 days', overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    memo: { family: 'selection', rule: '第十四条' },
  };
}

/**
 * Creates duban's schedules, or brings an existing one's spec and action up to
 * date (a redeploy may change them). Safe to call at every start.
 */
export async function ensureSchedules(client: Client, taskQueue: string = TASK_QUEUE): Promise<void> {
  for (const options of [cycleSchedule(taskQueue), selectionSchedule(taskQueue)]) {
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: { ...prev.policies, ...options.policies } }));
    }
  }
}
