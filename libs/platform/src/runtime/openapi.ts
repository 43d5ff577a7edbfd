import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { ApiBody, ApiQuery, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

type Decorator = MethodDecorator & ClassDecorator;

/** The request body of a handler, documented from the same zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType): Decorator {
  return ApiBody({
    schema: z.toJSONSchema(schema, {
      target: 'openapi-3.0',
      io: 'input',
      unrepresentable: 'any',
    }) as object,
  }) as Decorator;
}

/** Each query parameter of a zod object schema, documented from the schema that validates it. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  const decorators = Object.entries(json.properties ?? {}).map(([name, property]) =>
    ApiQuery({ name, required: json.required?.includes(name) ?? false, schema: property }),
  );
  return (target, key, descriptor) => {
    for (const decorate of decorators) decorate(target, key, descriptor);
  };
}

const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PBX platform API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
<script>SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#api', persistAuthorization: true });</script>
</body></html>`;

/**
 * The OpenAPI document of this process, generated from its controllers, at
 * `/api/docs/openapi.json`, and a Swagger UI at `/api/docs` served from the installed
 * swagger-ui-dist (no network needed).
 */
export function serveOpenApi(app: INestApplication, title: string, version: string): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setVersion(version)
    .setDescription(
      'Admin, self-service and config-as-code API. Errors are {"error":{"code","message"}}.',
    )
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const assets = join(require.resolve('swagger-ui-dist/package.json'), '..');
  fastify.get('/api/docs/openapi.json', async () => document);
  fastify.get('/api/docs', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
  fastify.get<{ Params: { file: string } }>('/api/docs/assets/:file', async (request, reply) => {
    const type = UI_ASSETS[request.params.file];
    if (!type)
      return reply.status(404).send({ error: { code: 'HTTP_404', message: 'no such asset' } });
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=86400')
      .send(readFileSync(join(assets, request.params.file)));
  });
}
