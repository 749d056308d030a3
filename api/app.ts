// The HTTP API: authentication, audit, routes, one error shape.
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Db } from '../common/db';
import { auditTrail } from './audit';
import { authenticate } from './auth';
import { ApiError, errorHandler } from './errors';
import { documentsRouter } from './routes/documents';
import { inboxRouter } from './routes/inbox';

export interface ApiDeps {
  db: Db;
  client: Client;
}

export function createApp({ db, client }: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));

  const api = express.Router();
  api.use(auditTrail(db));
  api.use(authenticate(db));
  api.use(documentsRouter(db, client));
  api.use(inboxRouter(db));
  app.use('/api', api);

  app.use((req, _res, next) => next(new ApiError('NOT_FOUND', `没有这个接口：${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
