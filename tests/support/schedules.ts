/**
 * One of duban's schedules (worker/schedules.ts), its spec and action as the
 * worker creates them, under an id of its own. The cycle test starts a real
 * worker process, which creates every schedule under the real ids and deletes
 * them all when that file ends: a file testing its schedule at the same time
 * must not share an id with it.
 */
import type { Client, ScheduleHandle } from '@temporalio/client';
import { TASK_QUEUE } from '../../common/taskQueues';
import { scheduleOptions } from '../../worker/schedules';

export async function createScheduleUnderTest(client: Client, scheduleId: string, taskQueue: string = TASK_QUEUE): Promise<ScheduleHandle> {
  const options = { ...scheduleOptions(scheduleId, taskQueue), scheduleId: `${scheduleId}-under-test` };
  await client.schedule.getHandle(options.scheduleId).delete().catch(() => undefined);
  return client.schedule.create(options);
}

/** Removes what createScheduleUnderTest made (afterAll). */
export async function deleteScheduleUnderTest(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(`${scheduleId}-under-test`).delete().catch(() => undefined);
}
