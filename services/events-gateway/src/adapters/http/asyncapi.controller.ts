import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { PlatformConfig } from '@pbx/config';
import { PLATFORM_CONFIG } from '@pbx/platform';
import { asyncApiDocument } from '../asyncapi/asyncapi-document';
import type { JsonSchema } from '../asyncapi/proto-json-schema';

/** The AsyncAPI document of the public events, next to the OpenAPI one (`/api/docs`). */
@ApiExcludeController()
@Controller('api/docs')
export class AsyncApiController {
  readonly #document: JsonSchema;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.#document = asyncApiDocument({
      maxAttempts: config.webhookMaxAttempts,
      backoffBaseMs: config.webhookBackoffBaseMs,
      backoffCapMs: config.webhookBackoffCapMs,
      timeoutMs: config.webhookTimeoutMs,
    });
  }

  @Get('asyncapi.json')
  document(): JsonSchema {
    return this.#document;
  }
}
