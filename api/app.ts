// The HTTP API: flood limits, authentication, audit, routes, one error shape.
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import { z } from 'zod';
import type { Mailer } from '../activities/mailer';
import type { SmsChannel } from '../activities/sms';
import type { AesGcmPayloadCodec } from '../common/codec';
import { TEMPORAL_UI_URL_DEFAULT, TRUST_PROXY_DEFAULT, trustProxySetting } from '../common/config';
import { consoleBaseUrl } from '../common/consoleLinks';
import type { Db } from '../common/db';
import { TOKEN_LIFETIME_DAYS_DEFAULT } from '../common/tokens';
import { logger as processLogger, type Logger } from '../common/logger';
import { auditTrail } from './audit';
import { authenticate } from './auth';
import { ApiError, errorHandler } from './errors';
import { createApiMetrics, observeRequests, type ApiMetrics } from './metrics';
import { requestLog } from './requestLog';
import { storableText } from './storableText';
import { securityHeaders } from './securityHeaders';
import { adminRouter } from './routes/admin';
import { authPublicRouter, authRouter } from './routes/auth';
import { codecRouter } from './routes/codec';
import { consoleRouter } from './routes/console';
import { cyclesRouter } from './routes/cycles';
import { explorationRouter } from './routes/exploration';
import { documentsRouter } from './routes/documents';
import { meetingsRouter } from './routes/meetings';
import { evaluationsRouter } from './routes/evaluations';
import { inboxRouter } from './routes/inbox';
import { pilotsRouter } from './routes/pilots';
import { pilotSeekingRouter } from './routes/pilotSeeking';
import { dutiesRouter } from './routes/duties';
import { policiesRouter } from './routes/policies';
import { innovationPublicRouter, innovationRouter } from './routes/innovation';
import { openApiRouter } from './routes/openapi';
import { siteMastersRouter } from './routes/siteMasters';
import { tokensRouter } from './routes/tokens';
import { rateLimiters, type RateLimits } from './rateLimits';
import { webConsole } from './web';

export interface ApiDeps {
  db: Db;
  client: Client;
  /** Base URL of the Temporal Web UI for links (default: TEMPORAL_UI_URL). */
  temporalUiUrl?: string;
  /** The API's clock for deadlines (default: the wall clock; time-skipping tests pass the server's). */
  now?: () => Date | Promise<Date>;
  /** Flood limits (default: RATE_LIMIT_DEFAULTS of common/config.ts). */
  rateLimits?: Partial<RateLimits>;
  /** Sends the console's sign-in codes (without one, asking for a code answers 503). */
  mailer?: Mailer;
  /** Where officials reach the console, for links in mail (default: API_PUBLIC_URL or the local port). */
  consoleUrl?: string;
  /** The built web console (default: dist/web). */
  webDir?: string;
  /** The payload codec, for the Web UI's codec endpoint (none without DUBAN_PAYLOAD_KEYS). */
  codec?: AesGcmPayloadCodec;
  /** Where request lines and errors go (default: the process's logger, common/logger.ts). */
  logger?: Logger;
  /** The metrics this app counts into (default: its own; the API process serves them, api/main.ts). */
  metrics?: ApiMetrics;
  /** Lifetime of a token issued from the console without one (default: TOKEN_LIFETIME_DAYS_DEFAULT). */
  tokenLifetimeDays?: number;
  /** Sends the public vote's verification codes (SMS_CHANNEL; without one, the public vote answers 503). */
  sms?: SmsChannel;
  /** Keys public voters and client addresses (DUBAN_VOTE_SECRET; without one, the public vote answers 503). */
  voteSecret?: string;
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY: addresses, subnets, loopback…, or a hop count; default loopback). */
  trustProxy?: string;
}

export function createApp({ db, client, temporalUiUrl, now, rateLimits, mailer, consoleUrl, webDir, codec, logger, metrics, tokenLifetimeDays, sms, voteSecret, trustProxy }: ApiDeps): Express {
  // Officials read validation errors (the console shows them under the form): zod's own messages in Chinese.
  // Set here, not at import, so the process's configuration errors (loadConfig, before this) stay English.
  z.config(z.locales.zhCN());
  const clock = now ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  // req.ip is the client only as far as trusted proxies say: every per-address limit depends on it.
  app.set('trust proxy', trustProxySetting(trustProxy ?? TRUST_PROXY_DEFAULT));
  const uiUrl = temporalUiUrl ?? process.env.TEMPORAL_UI_URL ?? TEMPORAL_UI_URL_DEFAULT;
  const counted = metrics ?? createApiMetrics();
  // First: every request is timed and logged, whichever router answers it.
  app.use(observeRequests(counted));
  app.use(requestLog(logger ?? processLogger));
  // The API's description and reference page: static, public, touching no service (so not limited).
  app.use('/api', openApiRouter());
  const limits = rateLimiters(db, rateLimits, (limit) => counted.rateLimitRefusals.inc({ limit }));
  // Before anything looks up a token or writes a row: an address's requests without a known official are limited.
  app.use('/api', limits.perAddress);
  // Before the JSON parser: the Web UI's codec endpoint has its own CORS, cookie and body limit.
  app.use('/api/codec', codecRouter({ db, codec, temporalUiUrl: uiUrl }));
  app.use(express.json({ limit: '1mb' }));
  app.use(storableText());
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));

  // The public vote (第十四条) needs no official's token: mounted before authentication.
  app.use('/api/public', innovationPublicRouter(db, { sms, voteSecret, scope: rateLimits?.scope }));
  const api = express.Router();
  api.use(auditTrail(db)); // before authentication: refusals of a known official (CSRF, 429) are audited too
  api.use(authPublicRouter(db, mailer, consoleUrl ?? consoleBaseUrl())); // signing in needs no token
  api.use(authenticate(db));
  api.use(limits.afterAuthentication);
  api.use(authRouter(db));
  api.use(consoleRouter(db, clock));
  api.use(documentsRouter(db, client, clock));
  api.use(cyclesRouter(db, client));
  api.use(meetingsRouter(db, client));
  api.use(inboxRouter(db));
  api.use(policiesRouter(db, client));
  api.use(innovationRouter(db, client));
  api.use(explorationRouter(db, client));
  api.use(evaluationsRouter(db, client));
  api.use(pilotsRouter(db, client));
  api.use(pilotSeekingRouter(db, client));
  api.use(dutiesRouter(db, client));
  api.use(adminRouter({ db, client, temporalUiUrl: uiUrl, now: clock }));
  api.use(siteMastersRouter(db));
  api.use(tokensRouter(db, tokenLifetimeDays ?? TOKEN_LIFETIME_DAYS_DEFAULT));
  app.use('/api', api);
  app.use(webConsole(webDir));

  app.use((req, _res, next) => next(new ApiError('NOT_FOUND', `没有这个接口：${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
