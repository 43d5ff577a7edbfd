import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EventsError, EventsErrorCode } from '@pbx/events';
import { assertNever } from '../../domain/tenant/tenant';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';

/** The one place provisioning's error codes become HTTP statuses. */
export function httpStatusOf(code: ProvisioningErrorCode | EventsErrorCode): number {
  switch (code) {
    case ProvisioningErrorCode.InvalidRequest:
    case ProvisioningErrorCode.InvalidTenantName:
    case ProvisioningErrorCode.InvalidDomain:
    case ProvisioningErrorCode.InvalidArchitecture:
    case EventsErrorCode.InvalidEvent:
      return 400;
    case ProvisioningErrorCode.TenantNotFound:
      return 404;
    case ProvisioningErrorCode.TenantAlreadyExists:
    case ProvisioningErrorCode.ArchitectureIsFixed:
      return 409;
    case ProvisioningErrorCode.VersionConflict:
    case EventsErrorCode.WrongExpectedVersion:
      return 412;
    case EventsErrorCode.StoreUnavailable:
    case EventsErrorCode.BusUnavailable:
      return 503;
    default:
      return assertNever(code);
  }
}

/** Errors as `{ error: { code, message } }`; unknown failures are 500 without internals. */
@Catch()
export class ProvisioningErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof ProvisioningError || error instanceof EventsError) {
      const code =
        error instanceof EventsError && error.code === EventsErrorCode.WrongExpectedVersion
          ? ProvisioningErrorCode.VersionConflict
          : error.code;
      void reply.status(httpStatusOf(error.code)).send({ error: { code, message: error.message } });
      return;
    }
    if (error instanceof HttpException) {
      void reply.status(error.getStatus()).send({
        error: { code: `HTTP_${error.getStatus()}`, message: error.message },
      });
      return;
    }
    void reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  }
}
