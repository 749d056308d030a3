// A newly published working-day calendar reaches the workflows already running
// (new ones resolve it at their start). One Temporal batch operation signals
// `calendarChanged` to every running workflow of a family that handles it: the
// server runs it durably, so an API crash after the request loses nothing, and
// its job id names the calendar version, so a repeated publication (a retried
// request) starts nothing twice. Workflows ignore a version they already have.
import type { Client } from '@temporalio/client';
import type { CalendarPolicy } from '../common/policy/calendar';
import { calendarChangedSignal } from '../workflows/calendar';
import { encodeValues } from './temporalAdapter';
import { FAMILIES } from './families';

const ALREADY_EXISTS = 6; // gRPC status: the batch job of this version was started before

/** The families whose workflows take the signal (their timeline labels it). */
export const CALENDAR_FAMILIES = FAMILIES.filter((f) => f.signals && calendarChangedSignal.name in f.signals).map((f) => f.family);

export const calendarJobId = (version: string) => `calendar-${version}`;

/** Starts the batch signal for `calendar`; true when this call started it, false when it ran before. */
export async function publishCalendar(client: Client, calendar: CalendarPolicy, by: string): Promise<boolean> {
  const families = CALENDAR_FAMILIES.map((f) => `'${f}'`).join(', ');
  try {
    await client.workflowService.startBatchOperation({
      namespace: client.options.namespace,
      jobId: calendarJobId(calendar.version),
      reason: `工作日历 ${calendar.version} 发布（${by}）`,
      visibilityQuery: `ExecutionStatus = 'Running' AND DubanFamily IN (${families})`,
      signalOperation: {
        signal: calendarChangedSignal.name,
        input: { payloads: await encodeValues(client, { calendar }) },
        identity: `duban-api:${by}`,
      },
    });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === ALREADY_EXISTS) return false;
    throw err;
  }
}
