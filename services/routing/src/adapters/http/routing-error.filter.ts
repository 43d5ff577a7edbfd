import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { assertNever } from '../../domain/directory/directory';
import { RoutingError, RoutingErrorCode } from '../../domain/routing.error';

/**
 * The one place routing's error codes become HTTP statuses. What the caller may not see is 404,
 * not 403, so that nobody learns which groups or calls other tenants have.
 */
export function httpStatusOf(code: RoutingErrorCode): number {
  switch (code) {
    case RoutingErrorCode.InvalidRequest:
      return 400;
    case RoutingErrorCode.Forbidden:
      return 403;
    case RoutingErrorCode.GroupNotFound:
    case RoutingErrorCode.CallNotFound:
      return 404;
    default:
      return assertNever(code);
  }
}

@Catch(RoutingError)
export class RoutingErrorFilter implements ExceptionFilter {
  catch(error: RoutingError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(httpStatusOf(error.code))
      .send({ error: { code: error.code, message: error.message } });
  }
}
