// Process configuration from the environment, validated once. Every embedded
// default can be overridden so the same worker and API run against production.
import { z } from 'zod';
import { LogLevel } from './logger';
import { TOKEN_LIFETIME_DAYS_DEFAULT } from './tokens';

/** The dev server's Web UI; also the API's fallback when it is built without a config (tests). */
export const TEMPORAL_UI_URL_DEFAULT = 'http://127.0.0.1:8233';

/** Where the metrics endpoints listen (host:port), or "off". */
const ListenAddress = z.union([z.literal('off'), z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port or "off"')]);

/**
 * Generous for people, tight for loops: 300 requests a minute per address without a known official
 * (anonymous, failed sign-ins), 600 requests a minute per official, 300 authorized steps a minute per workflow.
 */
// perWorkflow leaves room for a month's legitimate burst on one cycle (19 units'
// reports and scores) while staying far below Temporal's 2,000 updates per run.
export const RATE_LIMIT_DEFAULTS = { windowMs: 60_000, perAddress: 300, perCaller: 600, perWorkflow: 300 };

/** Whose X-Forwarded-For the API believes: a proxy on the same host. */
export const TRUST_PROXY_DEFAULT = 'loopback';

/**
 * TRUST_PROXY as express's "trust proxy" takes it: a hop count, or a comma
 * list of addresses, subnets and the names loopback, linklocal, uniquelocal.
 */
export function trustProxySetting(value: string): string | number {
  return /^\d+$/.test(value.trim()) ? Number(value) : value;
}

const Env = z.object({
  DATABASE_URL: z.string().url(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_URL: z.string().url().default(TEMPORAL_UI_URL_DEFAULT),
  SMTP_URL: z.string().url().default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().min(3).default('市委改革办督办系统 <duban@reform.zibo.gov.cn>'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_PUBLIC_URL: z.string().url().optional(),
  // A bearer token guessed is the whole system: as long as the tokens duban makes (dbn_ + 43 characters).
  DUBAN_ADMIN_TOKEN: z.string().min(32).optional(),
  // Lifetime of a token issued without one (npm run token, the console, DUBAN_ADMIN_TOKEN's first registration).
  TOKEN_LIFETIME_DAYS: z.coerce.number().int().min(1).max(3650).default(TOKEN_LIFETIME_DAYS_DEFAULT),
  // Whose token DUBAN_ADMIN_TOKEN is in a real deployment (scripts/bootstrap-admin.ts): an ADMIN of the reform office.
  DUBAN_ADMIN_OFFICIAL_ID: z.string().min(1).optional(),
  WORKER_ACTIVITY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  // Each cached workflow holds its own V8 context: the cache, not the number of open
  // workflows, bounds the worker's memory (bench B4). Evicted workflows replay on their next task.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100000).default(500),
  WORKER_SHUTDOWN_GRACE: z.string().default('30s'),
  // Floods (api/rateLimits.ts): requests per window per address that end without a known
  // official, requests per window per official, and authorized steps per window per
  // workflow — far below Temporal's per-run limits (2,000 updates, 51,200 events).
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(RATE_LIMIT_DEFAULTS.windowMs),
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(RATE_LIMIT_DEFAULTS.perAddress),
  RATE_LIMIT_PER_CALLER: z.coerce.number().int().min(1).default(RATE_LIMIT_DEFAULTS.perCaller),
  RATE_LIMIT_PER_WORKFLOW: z.coerce.number().int().min(1).default(RATE_LIMIT_DEFAULTS.perWorkflow),
  // The public vote (api/innovationVoting.ts): the HMAC secret of voter and address keys (without it the
  // public vote answers 503), the SMS channel of its codes (activities/sms.ts), the proxies whose
  // X-Forwarded-For names the client (express "trust proxy"; "true" would believe anyone, so it is refused).
  DUBAN_VOTE_SECRET: z.string().min(32).optional(),
  SMS_CHANNEL: z.enum(['mail', 'off']).default('mail'),
  TRUST_PROXY: z
    .string()
    .min(1)
    .refine((v) => !/^(true|false)$/i.test(v.trim()), 'a hop count or addresses/subnets/loopback, not true/false')
    .default(TRUST_PROXY_DEFAULT),
  LOG_LEVEL: LogLevel.default('info'),
  // Prometheus endpoints (docs/OPERATIONS.md, Metrics): internal addresses, loopback unless a scraper needs more.
  API_METRICS_ADDRESS: ListenAddress.default('127.0.0.1:9464'),
  WORKER_METRICS_ADDRESS: ListenAddress.default('127.0.0.1:9465'),
  // Payload codec keys (common/codec.ts): "id1:base64key,id2:base64key", the first encrypts.
  DUBAN_PAYLOAD_KEYS: z.string().min(1).optional(),
});
export type Config = z.infer<typeof Env>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
