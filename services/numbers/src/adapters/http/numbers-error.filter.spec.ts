import { EventsErrorCode } from '@pbx/events';
import { NumbersErrorCode } from '../../domain/numbers.error';
import { httpStatusOf } from './numbers-error.filter';

describe(httpStatusOf.name, () => {
  it('maps every code to a status', () => {
    for (const code of [...Object.values(NumbersErrorCode), ...Object.values(EventsErrorCode)]) {
      expect([400, 403, 404, 409, 412, 503]).toContain(httpStatusOf(code));
    }
  });

  it.each<[NumbersErrorCode | EventsErrorCode, number]>([
    [NumbersErrorCode.MisalignedBlock, 400],
    [NumbersErrorCode.AssignmentLetterRequired, 400],
    [NumbersErrorCode.CapabilityNotOffered, 400],
    [NumbersErrorCode.BlockNotFound, 404],
    [NumbersErrorCode.BlockOverlaps, 409],
    [NumbersErrorCode.NumberAlreadyAssigned, 409],
    [NumbersErrorCode.BlockHasAssignments, 409],
    [EventsErrorCode.WrongExpectedVersion, 412],
    [NumbersErrorCode.InventoryBusy, 503],
  ])('answers %s with %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });
});
