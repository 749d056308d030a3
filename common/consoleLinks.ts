// Where an item lives in the web console: e-mails link to it, the to-do list
// opens it. The console's router (web/src/router.ts) serves the same paths.

const PATHS: Record<string, (id: string) => string> = {
  document: (id) => `/documents/${encodeURIComponent(id)}`,
  cycle: (id) => `/cycles/${encodeURIComponent(id)}`,
  selection: (id) => `/innovation/selections/${encodeURIComponent(id)}`,
  rollout: (id) => `/innovation/rollouts/${encodeURIComponent(id)}`,
  exploration: (id) => `/exploration/${encodeURIComponent(id)}`,
  meeting: (id) => `/meetings/${encodeURIComponent(id)}`,
  evaluation: (id) => `/evaluations/${encodeURIComponent(id)}`,
  pilot: (id) => `/pilots/${encodeURIComponent(id)}`,
  pilotSeeking: (id) => `/pilot-seeking/${encodeURIComponent(id)}`,
  duties: (id) => `/duties/${encodeURIComponent(id)}`,
};

/** The console path of a notice's or obligation's subject (its family and id); the to-do list when unknown. */
export function consolePath(subjectType: string, subjectId: string): string {
  return PATHS[subjectType]?.(subjectId) ?? '/todo';
}

/** The address officials reach the console at: API_PUBLIC_URL, or the local API port. */
export function consoleBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.API_PUBLIC_URL || `http://127.0.0.1:${env.API_PORT || 3000}`).replace(/\/+$/, '');
}

export function consoleUrl(subjectType: string, subjectId: string, base = consoleBaseUrl()): string {
  return `${base}${consolePath(subjectType, subjectId)}`;
}
