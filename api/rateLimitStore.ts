// An express-rate-limit Store in PostgreSQL (table RateLimitCounter), so the
// flood limits hold across API replicas: every replica increments the same
// row, in one statement, on the database's clock. Fixed windows, like the
// in-memory store it replaces: a key's window starts with its first hit and
// lasts windowMs.
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Db } from '../common/db';

export class PostgresRateLimitStore implements Store {
  /** Keys here count in the shared table: replicas see each other's hits. */
  readonly localKeys = false;
  private windowMs = 60_000;
  private sweeper?: NodeJS.Timeout;

  /** `prefix` names the limiter (and, for tests, the app) the keys belong to. */
  constructor(
    private readonly db: Db,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
    // Rows of windows long past are dead weight: sweep them now and then (any replica may).
    this.sweeper = setInterval(() => void this.sweep().catch(() => {}), Math.max(this.windowMs, 60_000) * 10);
    this.sweeper.unref();
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.db.$queryRaw<Array<{ hits: number; resetAt: Date }>>`
      SELECT "hits", "resetAt" FROM "RateLimitCounter" WHERE "key" = ${this.prefix + key} AND "resetAt" > now()`;
    return rows[0] ? { totalHits: rows[0].hits, resetTime: rows[0].resetAt } : undefined;
  }

  async increment(key: string): Promise<IncrementResponse> {
    // One statement: concurrent increments from any replica serialise on the row.
    const rows = await this.db.$queryRaw<Array<{ hits: number; resetAt: Date }>>`
      INSERT INTO "RateLimitCounter" ("key", "hits", "resetAt")
      VALUES (${this.prefix + key}, 1, now() + ${this.windowMs}::integer * interval '1 millisecond')
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "RateLimitCounter"."resetAt" <= now() THEN 1 ELSE "RateLimitCounter"."hits" + 1 END,
        "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimitCounter"."resetAt" END
      RETURNING "hits", "resetAt"`;
    return { totalHits: rows[0].hits, resetTime: rows[0].resetAt };
  }

  async decrement(key: string): Promise<void> {
    // express-rate-limit gives a hit back from a response's 'finish' listener, where a
    // rejection would be unhandled (and end the process): a hit not given back during a
    // database outage only makes the limit stricter until the window ends.
    await this.db.$executeRaw`
      UPDATE "RateLimitCounter" SET "hits" = GREATEST("hits" - 1, 0) WHERE "key" = ${this.prefix + key} AND "resetAt" > now()`.catch(() => undefined);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "key" = ${this.prefix + key}`;
  }

  shutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private async sweep(): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "resetAt" < now() - interval '1 hour'`;
  }
}
