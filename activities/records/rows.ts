// How the recorder writes one row it owns: only if the row has not seen a newer
// revision. The recorder holds the workflow's lock (see ./index.ts) while it
// writes, so "no row updated" means the row is absent or newer, and an insert
// that skips duplicates settles both.
import type { Prisma } from '../../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

/** `where` clause fragment: rows older than the change. */
export const olderThan = (revision: number) => ({ revision: { lt: revision } });

export async function writeIfNewer(write: { update: () => Promise<{ count: number }>; create: () => Promise<{ count: number }> }): Promise<void> {
  const { count } = await write.update();
  if (count === 0) await write.create();
}

/** JSON columns: Prisma wants its own input type for plain data. */
export const json = (v: unknown) => v as Prisma.InputJsonValue;

export const date = (iso: string | undefined | null) => (iso ? new Date(iso) : null);
