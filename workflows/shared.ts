// What every family's workflow shares: how activities are called and retried,
// and when a long-lived run continues as new.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';

/**
 * Database and SMTP outages are retried for as long as they last: a notice is
 * never forgotten. Permanent SMTP failures are recorded by the activity, not thrown.
 */
export const ACTIVITY_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

export const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '1 minute', retry: ACTIVITY_RETRY });

/** History length after which a run continues as new (Temporal's hard limit is 51,200 events). */
const MAX_HISTORY_EVENTS = 5000;

export function shouldContinueAsNew(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS;
}
