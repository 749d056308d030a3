// What every period's starter workflow does (worker/schedules.ts): read the
// period from the schedule's nominal time, then start that period's workflow
// under its business id, once.
import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';

/** The time the schedule meant (a late start or a catch-up keeps its period); now when started by hand. */
export function scheduledAt(): Date {
  const nominal = workflowInfo().searchAttributes?.TemporalScheduledStartTime?.[0];
  return nominal ? new Date(nominal as string | Date) : new Date();
}

/**
 * Starts the period's workflow; false when that id is running or has run: a
 * period started by hand or by an earlier firing is left alone, and a finished
 * one is never started again (REJECT_DUPLICATE). The period's workflow outlives
 * its starter by weeks or months (ABANDON).
 */
export async function startPeriodOnce<I>(workflow: (input: I) => Promise<unknown>, workflowId: string, input: I): Promise<boolean> {
  try {
    await startChild(workflow, { workflowId, args: [input], parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
