import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EventsError, EventsErrorCode } from '@pbx/events';
import { assertNever } from '../../domain/number-block/number-block';
import { NumbersError, NumbersErrorCode } from '../../domain/numbers.error';

/**
 * The one place the numbers area's error codes become HTTP statuses. As in provisioning: 400 for
 * a request that breaks a rule of its own (shape, number, size, alignment, capability, letter),
 * 404 for what the caller cannot see, 409 for a conflict with the state of the numbers, 412 for
 * a stale If-Match, 503 for "try again".
 */
export function httpStatusOf(code: NumbersErrorCode | EventsErrorCode): number {
  switch (code) {
    case NumbersErrorCode.InvalidRequest:
    case NumbersErrorCode.InvalidNumber:
    case NumbersErrorCode.NumberTypeNotOffered:
    case NumbersErrorCode.CountryNotOffered:
    case NumbersErrorCode.CountryMismatch:
    case NumbersErrorCode.CapabilityNotOffered:
    case NumbersErrorCode.InvalidBlockSize:
    case NumbersErrorCode.MisalignedBlock:
    case NumbersErrorCode.NumberOutsidePlan:
    case NumbersErrorCode.AssignmentLetterRequired:
    case NumbersErrorCode.AssignmentLetterNotApplicable:
    case NumbersErrorCode.PortingDateRequired:
    case NumbersErrorCode.InvalidPortingDate:
    case NumbersErrorCode.InvalidSplit:
    case NumbersErrorCode.NumberNotInBlock:
    case NumbersErrorCode.InvalidTarget:
    case EventsErrorCode.InvalidEvent:
      return 400;
    case NumbersErrorCode.Forbidden:
      return 403;
    case NumbersErrorCode.BlockNotFound:
    case NumbersErrorCode.NumberNotFound:
      return 404;
    case NumbersErrorCode.BlockAlreadyExists:
    case NumbersErrorCode.BlockOverlaps:
    case NumbersErrorCode.InvalidOrderState:
    case NumbersErrorCode.PortingDateNotReached:
    case NumbersErrorCode.BlockHasAssignments:
    case NumbersErrorCode.NumberAlreadyAssigned:
      return 409;
    case NumbersErrorCode.VersionConflict:
    case EventsErrorCode.WrongExpectedVersion:
      return 412;
    case NumbersErrorCode.InventoryBusy:
    case EventsErrorCode.StoreUnavailable:
    case EventsErrorCode.BusUnavailable:
      return 503;
    default:
      return assertNever(code);
  }
}

/** Numbers' own errors and the store's; everything else falls through to the platform's filter. */
@Catch(NumbersError, EventsError)
export class NumbersErrorFilter implements ExceptionFilter {
  catch(error: NumbersError | EventsError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const code =
      error instanceof EventsError && error.code === EventsErrorCode.WrongExpectedVersion
        ? NumbersErrorCode.VersionConflict
        : error.code;
    const problems = Array.isArray(error.details.problems)
      ? { problems: error.details.problems }
      : {};
    void reply
      .status(httpStatusOf(error.code))
      .send({ error: { code, message: error.message, ...problems } });
  }
}
