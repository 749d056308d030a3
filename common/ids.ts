// Workflow ids are derived from business identities so that a repeated
// arrival finds the running workflow instead of starting a second one.

export function documentWorkflowId(docNumber: string): string {
  return `document:${docNumber.trim()}`;
}

/** A notice's business key: workflow id + step, never the run id (which changes on continue-as-new). */
export function noticeKey(workflowId: string, step: string): string {
  return `${workflowId}:${step}`;
}

/** The monthly 六个一 cycle (第六条): one workflow per month, e.g. "cycle:2026-11". */
export function cycleWorkflowId(month: string): string {
  return `cycle:${month}`;
}

/** A reform pilot or a grassroots experience reported upward (第十一条, 第十三条): one workflow per registered pilot. */
export function pilotWorkflowId(pilotId: string): string {
  return `pilot:${pilotId}`;
}
