import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EventsGatewayError, EventsGatewayErrorCode } from '../../domain/events-gateway.error';
import { assertNever } from '../../domain/retry-policy';
import { InvalidCursorError } from '../persistence/postgres-webhook-store';

/**
 * The one place the events-gateway's error codes become HTTP statuses. What the caller may not
 * see is 404, not 403, so that nobody learns which webhooks other tenants have.
 */
export function httpStatusOf(code: EventsGatewayErrorCode): number {
  switch (code) {
    case EventsGatewayErrorCode.InvalidRequest:
      return 400;
    case EventsGatewayErrorCode.TenantNotFound:
    case EventsGatewayErrorCode.WebhookNotFound:
    case EventsGatewayErrorCode.DeliveryNotFound:
      return 404;
    case EventsGatewayErrorCode.VersionMismatch:
      return 412;
    case EventsGatewayErrorCode.TooManyStreams:
      return 503;
    default:
      return assertNever(code);
  }
}

@Catch(EventsGatewayError, InvalidCursorError)
export class EventsGatewayErrorFilter implements ExceptionFilter {
  catch(error: EventsGatewayError | InvalidCursorError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const code =
      error instanceof InvalidCursorError ? EventsGatewayErrorCode.InvalidRequest : error.code;
    if (code === EventsGatewayErrorCode.TooManyStreams) void reply.header('retry-after', '5');
    void reply.status(httpStatusOf(code)).send({ error: { code, message: error.message } });
  }
}
