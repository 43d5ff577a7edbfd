import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
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
    case ProvisioningErrorCode.InvalidGroupSpec:
    case ProvisioningErrorCode.InvalidEnterpriseSpec:
    case ProvisioningErrorCode.InvalidTrunkSpec:
    case EventsErrorCode.InvalidEvent:
      return 400;
    case ProvisioningErrorCode.TenantNotFound:
    case ProvisioningErrorCode.GroupNotFound:
    case ProvisioningErrorCode.UserNotFound:
    case ProvisioningErrorCode.DeviceNotFound:
    case ProvisioningErrorCode.EnterpriseNotFound:
    case ProvisioningErrorCode.TrunkNotFound:
      return 404;
    case ProvisioningErrorCode.InvalidCredentials:
      return 401;
    case ProvisioningErrorCode.Forbidden:
      return 403;
    case ProvisioningErrorCode.GroupDeleted:
    case ProvisioningErrorCode.EnterpriseDeleted:
      return 410;
    case ProvisioningErrorCode.TenantAlreadyExists:
    case ProvisioningErrorCode.GroupAlreadyExists:
    case ProvisioningErrorCode.ArchitectureIsFixed:
    case ProvisioningErrorCode.EnterpriseAlreadyExists:
    case ProvisioningErrorCode.EnterpriseHasGroups:
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

/** Provisioning's own errors; everything else falls through to the platform's filter. */
@Catch(ProvisioningError, EventsError)
export class ProvisioningErrorFilter implements ExceptionFilter {
  catch(error: ProvisioningError | EventsError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const code =
      error instanceof EventsError && error.code === EventsErrorCode.WrongExpectedVersion
        ? ProvisioningErrorCode.VersionConflict
        : error.code;
    const problems = Array.isArray(error.details.problems)
      ? { problems: error.details.problems }
      : {};
    void reply
      .status(httpStatusOf(error.code))
      .send({ error: { code, message: error.message, ...problems } });
  }
}
