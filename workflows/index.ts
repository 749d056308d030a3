// Every workflow the worker runs; this file is the root of the workflow bundle.
export { documentWorkflow } from './document/workflow';
export { cycleWorkflow, cycleScheduleWorkflow } from './cycle/workflow';
export { selectionWorkflow, selectionScheduleWorkflow } from './innovation/selection';
export { rolloutWorkflow } from './innovation/rollout';
