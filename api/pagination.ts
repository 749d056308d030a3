// One way to page a list route: `limit` and `cursor` query parameters, the
// cursor being the id of the previous page's last row (Prisma's cursor), the
// answer's `nextCursor` null on the last page. The order must end with the id,
// so rows of equal sort keys neither repeat nor go missing between pages.
import { z } from 'zod';

/** The query fields of a paged list (spread into the route's strict query schema). */
export const pageQuery = (defaultLimit = 50, maxLimit = 200) => ({
  limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
  cursor: z.string().max(100).optional(),
});

/** findMany arguments for one page: one row more than asked, to know whether another page follows. */
export function pageArgs(q: { limit: number; cursor?: string }) {
  return { take: q.limit + 1, ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}) };
}

/** The page's rows and the cursor of the next page (null when this is the last). */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
