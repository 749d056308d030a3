-- The run that took a step: a resend of the step (same Idempotency-Key) that
-- reaches a later run of its workflow is answered from this one. Rows written
-- before have none.
ALTER TABLE "WorkflowEvent" ADD COLUMN "runId" TEXT;
