import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { DatabaseUnavailableError } from '../database/database-connection';

/**
 * Every error leaves the platform as `{ error: { code, message } }`, including the ones raised
 * before a controller runs (malformed JSON, body too large, unknown route). Unexpected failures
 * are logged with their stack and answered 500 without internals.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof HttpException) {
      const status = error.getStatus();
      void reply.status(status).send({ error: { code: `HTTP_${status}`, message: error.message } });
      return;
    }
    if (error instanceof DatabaseUnavailableError) {
      void reply.status(503).send({ error: { code: 'UNAVAILABLE', message: error.message } });
      return;
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (FST_ERR_CTP_INVALID_JSON_BODY, body too large...).
      void reply
        .status(status)
        .send({ error: { code: `HTTP_${status}`, message: (error as Error).message } });
      return;
    }
    this.log.error({ err: error }, 'unhandled error in a request');
    void reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  }
}
