// Process configuration from the environment, validated once. Every embedded
// default can be overridden so the same worker and API run against production.
import { z } from 'zod';

/** The dev server's Web UI; also the API's fallback when it is built without a config (tests). */
export const TEMPORAL_UI_URL_DEFAULT = 'http://127.0.0.1:8233';

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
  DUBAN_ADMIN_TOKEN: z.string().min(16).optional(),
  WORKER_ACTIVITY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100000).default(2000),
  WORKER_SHUTDOWN_GRACE: z.string().default('30s'),
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
