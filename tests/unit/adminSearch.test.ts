/**
 * The visibility query behind the administrators' search: built from
 * validated filters, with every value quoted and escaped.
 */
import { buildVisibilityQuery, quote } from '../../api/admin/search';
import { AdminWorkflowQuery } from '../../api/schemas/admin';

const now = new Date('2026-12-01T00:00:00Z');
const build = (q: Record<string, string>) => buildVisibilityQuery(AdminWorkflowQuery.parse(q), now);

describe('admin workflow search query', () => {
  it('combines the filters on duban search attributes', () => {
    expect(build({ family: 'document', status: 'running', unit: 'dept-health', level: 'PROVINCIAL', state: 'ASSIGNED' })).toBe(
      "DubanFamily = 'document' AND ExecutionStatus = 'Running' AND DubanState = 'ASSIGNED' AND DubanUnits = 'dept-health' AND DubanLevel = 'PROVINCIAL'",
    );
  });

  it('reads overdue as a running workflow past DubanDueAt, by the given clock', () => {
    expect(build({ overdue: 'true' })).toBe("ExecutionStatus = 'Running' AND DubanDueAt < '2026-12-01T00:00:00.000Z' AND DubanFamily IS NOT NULL");
    expect(build({ from: '2026-11-01', to: '2026-11-30T23:59:59+08:00' })).toBe(
      "StartTime >= '2026-11-01T00:00:00.000Z' AND StartTime <= '2026-11-30T15:59:59.000Z' AND DubanFamily IS NOT NULL",
    );
  });

  it('refuses values that could leave their quotes, and escapes anyway', () => {
    for (const unit of ["x' OR 1=1", 'a b', 'x"', 'x\\']) expect(AdminWorkflowQuery.safeParse({ unit }).success).toBe(false);
    expect(AdminWorkflowQuery.safeParse({ status: 'Running' }).success).toBe(false);
    expect(AdminWorkflowQuery.safeParse({ pageSize: '1000' }).success).toBe(false);
    expect(quote("it's")).toBe("'it\\'s'");
    expect(quote('a\\b')).toBe("'a\\\\b'");
  });
});
