-- The audit log is append-only: the API offers no route to change it, and the
-- database refuses UPDATE and DELETE as well.
-- (Prisma's pg adapter splits scripts on every semicolon, so the one inside the
-- function body is written as the E-string escape \073.)
CREATE OR REPLACE FUNCTION duban_audit_append_only() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''AuditLog is append-only: % refused'', TG_OP\073 END';

CREATE TRIGGER "AuditLog_append_only"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION duban_audit_append_only();
