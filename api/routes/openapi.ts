// The OpenAPI 3.1 document of the whole HTTP API, generated from the zod
// schemas the routes validate with. Public: it is mounted before authentication.
import { Router } from 'express';
import { describe, openApiDocument } from '../openapi';

describe({ method: 'get', path: '/openapi.json', summary: 'OpenAPI 3.1 接口说明文档', tags: ['说明'], public: true });

export function openApiRouter(): Router {
  const r = Router();
  r.get('/openapi.json', (_req, res) => void res.json(openApiDocument()));
  return r;
}
