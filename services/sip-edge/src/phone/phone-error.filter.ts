import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PhoneSessionError, PhoneSessionErrorCode } from './phone-session.error';

/** The one place the phone session's error codes become HTTP statuses. */
export function httpStatusOf(code: PhoneSessionErrorCode): number {
  switch (code) {
    case PhoneSessionErrorCode.InvalidRequest:
      return 400;
    case PhoneSessionErrorCode.InvalidCredentials:
      return 401;
    case PhoneSessionErrorCode.TooManyAttempts:
      return 429;
    default:
      return assertUnreachable(code);
  }
}

function assertUnreachable(value: never): never {
  throw new TypeError(`unmapped phone session error ${String(value)}`);
}

@Catch(PhoneSessionError)
export class PhoneErrorFilter implements ExceptionFilter {
  catch(error: PhoneSessionError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = httpStatusOf(error.code);
    // Retry-After tells a well-behaved client when to come back (RFC 6585 4).
    if (status === 429) void reply.header('retry-after', '60');
    if (status === 401) void reply.header('www-authenticate', 'Bearer realm="pbx"');
    void reply.status(status).send({ error: { code: error.code, message: error.message } });
  }
}
