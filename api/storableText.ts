// PostgreSQL stores neither NUL characters nor unpaired UTF-16 surrogates (text
// refuses 0x00; jsonb refuses \u0000 and lone \uD800–\uDFFF escapes). A request
// carrying either in its body, query or path is refused here with 400, once for
// every route, instead of failing as a database error (500) wherever the text
// would be written or searched.
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MESSAGE = '含有无法保存的字符（空字符或不成对的代理项）';

/** Where the request holds text PostgreSQL cannot store, one zod-like issue each. */
export function unstorableText(value: unknown, path: PropertyKey[] = []): Array<{ path: PropertyKey[]; message: string }> {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? [{ path, message: MESSAGE }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableText(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...(UNSTORABLE.test(k) ? [{ path: [...path, k], message: MESSAGE }] : []), ...unstorableText(v, [...path, k])]);
  }
  return [];
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function storableText(): RequestHandler {
  return (req, _res, next) => {
    const issues = [...unstorableText(decodedPath(req.path), ['path']), ...unstorableText(req.query, ['query']), ...unstorableText(req.body, ['body'])];
    next(issues.length ? new ApiError('VALIDATION_FAILED', `请求${MESSAGE}`, issues) : undefined);
  };
}
