// Every workflow the worker runs; this file is the root of the workflow bundle.
export { documentWorkflow } from './document/workflow';
export { cycleWorkflow, cycleScheduleWorkflow } from './cycle/workflow';
export { selectionWorkflow, selectionScheduleWorkflow } from './innovation/selection';
export { rolloutWorkflow } from './innovation/rollout';
export { explorationWorkflow, explorationScheduleWorkflow } from './exploration/workflow';
export { meetingWorkflow } from './meeting/workflow';
export { evaluationWorkflow, evaluationScheduleWorkflow } from './evaluation/workflow';
export { pilotWorkflow } from './pilot/workflow';
export { pilotSeekingWorkflow, pilotSeekingScheduleWorkflow } from './pilotSeeking/workflow';
export { standingDutiesWorkflow, standingDutiesScheduleWorkflow } from './standingDuties/workflow';
