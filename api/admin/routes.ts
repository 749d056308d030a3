// What the routes registered in the OpenAPI registry say about themselves,
// reused to name requests in audit views: the Chinese label each route
// gives in describe() is what an administrator reads.
import { registry } from '../openapi';

interface RouteEntry {
  method: string;
  pattern: RegExp;
  summary?: string;
}

let cache: { count: number; entries: RouteEntry[] } | undefined;

function entries(): RouteEntry[] {
  const defs = registry.definitions;
  if (cache?.count === defs.length) return cache.entries;
  const out: RouteEntry[] = [];
  for (const d of defs) {
    if (d.type !== 'route') continue;
    const source = d.route.path
      .split(/(\{\w+\})/)
      .map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    out.push({ method: d.route.method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), summary: (d.route as { 'x-label'?: string })['x-label'] });
  }
  // Literal segments win over parameters (/documents/x/draft before /documents/{id}).
  out.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  cache = { count: defs.length, entries: out };
  return out;
}

/** The Chinese label of the route serving `method path` (path as requested, query allowed), if registered. */
export function routeSummary(method: string, path: string): string | undefined {
  const bare = path.split('?')[0];
  return entries().find((e) => e.method === method.toUpperCase() && e.pattern.test(bare))?.summary;
}
