// The web console (web/, built by scripts/build-web.sh into dist/web) served by
// the API process at `/`, so it shares the API's origin: the session cookie and
// CSRF header need no CORS. Every path that is not a file is the single-page
// app's index.html (its router draws the page), so links in e-mails work.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { CONSOLE_CSP, contentSecurityPolicy } from './securityHeaders';

// dist/web beside the sources (run with tsx) or beside the compiled app (dist/app/api → dist/web, the image).
export const WEB_DIST_DEFAULT = [path.join(__dirname, '..', 'dist', 'web'), path.join(__dirname, '..', '..', 'web')].find((d) => fs.existsSync(d)) ?? path.join(__dirname, '..', 'dist', 'web');

export function webConsole(webDir = WEB_DIST_DEFAULT): Router {
  const r = Router();
  const index = path.join(webDir, 'index.html');
  // The other security headers are the app's (api/securityHeaders.ts).
  r.use(contentSecurityPolicy(CONSOLE_CSP));
  // Hashed file names: cached for good; index.html is always revalidated.
  r.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  r.use(express.static(webDir, { index: false }));
  r.get(/^\/(?!api\/|api$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    if (!fs.existsSync(index)) {
      res.status(503).type('text').send('督办系统网页控制台尚未构建：请运行 npm start（或 bash scripts/build-web.sh）。');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return r;
}
