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

/** The yearly innovation items (第十二条): one workflow per year, e.g. "exploration:2027". */
export function explorationWorkflowId(year: string): string {
  return `exploration:${year}`;
}

/** A superior leading-group meeting (第四条(一)): one workflow per level and Shanghai day, e.g. "meeting:CENTRAL:2026-11-20". */
export function superiorMeetingWorkflowId(level: 'CENTRAL' | 'PROVINCIAL', heldAt: Date): string {
  const day = new Date(heldAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return `meeting:${level}:${day}`;
}

/** The annual evaluation (第九条, 第十四条（三）): one workflow per year it runs in, e.g. "evaluation:2027" (of 2026). */
export function evaluationWorkflowId(year: number): string {
  return `evaluation:${year}`;
}

/** A reform pilot or a grassroots experience reported upward (第十一条, 第十三条): one workflow per registered pilot. */
export function pilotWorkflowId(pilotId: string): string {
  return `pilot:${pilotId}`;
}

/** A quarter of seeking pilots (第十一条(一)–(四)): one workflow per quarter, e.g. "pilot-seeking:2027-Q1". */
export function pilotSeekingWorkflowId(quarter: string): string {
  return `pilot-seeking:${quarter}`;
}

/** A year of standing duties (第十五条(一)(二), 第十七条(二)): one workflow per year, e.g. "duties:2027". */
export function dutiesWorkflowId(year: number): string {
  return `duties:${year}`;
}
