import { Controller, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { allEndpoints, defineEndpoint, Endpoint } from '../http/endpoint';
import { RawResponse } from '../http/validation.interceptor';
import { openApiDocument } from '../openapi/openapi-document';

export const DOCS_ASSETS_PATH = '/docs/assets';
/** The version of the API contract (not of the software): grows with incompatible changes. */
const API_VERSION = '1.0.0';

export const docsJson = defineEndpoint({
  operationId: 'openApiDocument',
  method: 'get',
  path: '/docs-json',
  tag: 'docs',
  summary: 'This OpenAPI 3.1 document',
  permission: null,
  response: z.record(z.string(), z.unknown()),
});

export const docsPage = defineEndpoint({
  operationId: 'docsPage',
  method: 'get',
  path: '/docs',
  tag: 'docs',
  summary: 'The OpenAPI document, browsable (Swagger UI)',
  permission: null,
  response: z.string(),
  alternativeMediaTypes: ['text/html'],
});

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>abuse-monitor API</title>
  <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// A separate script rather than inline, so the page works under a strict Content-Security-Policy.
const INIT = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', persistAuthorization: false });`;

export const docsInit = defineEndpoint({
  operationId: 'docsInit',
  method: 'get',
  path: '/docs/init.js',
  tag: 'docs',
  summary: 'Starts Swagger UI on /docs',
  permission: null,
  response: z.string(),
  alternativeMediaTypes: ['text/javascript'],
});

@Controller()
export class DocsController {
  private document: Record<string, unknown> | null = null;

  @Endpoint(docsJson)
  json() {
    this.document ??= openApiDocument(allEndpoints(), API_VERSION);
    return this.document;
  }

  @Endpoint(docsPage)
  page(@Res({ passthrough: true }) res: Response) {
    res.type('html');
    return new RawResponse(PAGE);
  }

  @Endpoint(docsInit)
  init(@Res({ passthrough: true }) res: Response) {
    res.type('text/javascript');
    return new RawResponse(INIT);
  }
}
