import { CodedError } from '@pbx/domain';

/** Error codes of the numbers area; each transport maps them in one place (adapters). */
export enum NumbersErrorCode {
  /** Not an E.164 number at all. */
  InvalidNumber = 'INVALID_NUMBER',
  /** A valid number of a type the platform does not sell (mobile, 0800, 090x...). */
  NumberTypeNotOffered = 'NUMBER_TYPE_NOT_OFFERED',
  /** The country is not in the coverage table (section 8). */
  CountryNotOffered = 'COUNTRY_NOT_OFFERED',
  /** The order's country is not the country of its numbers. */
  CountryMismatch = 'COUNTRY_MISMATCH',
  /** The country is covered, but not for this capability (new geographic, new national, porting). */
  CapabilityNotOffered = 'CAPABILITY_NOT_OFFERED',
  InvalidBlockSize = 'INVALID_BLOCK_SIZE',
  MisalignedBlock = 'MISALIGNED_BLOCK',
  /** Some number of the block is not a valid number of the block's kind. */
  NumberOutsidePlan = 'NUMBER_OUTSIDE_PLAN',
  AssignmentLetterRequired = 'ASSIGNMENT_LETTER_REQUIRED',
  AssignmentLetterNotApplicable = 'ASSIGNMENT_LETTER_NOT_APPLICABLE',
  BlockAlreadyExists = 'BLOCK_ALREADY_EXISTS',
  BlockNotFound = 'BLOCK_NOT_FOUND',
  /** The command does not apply in the block's order state (e.g. completing a cancelled order). */
  InvalidOrderState = 'INVALID_ORDER_STATE',
  PortingDateRequired = 'PORTING_DATE_REQUIRED',
  InvalidPortingDate = 'INVALID_PORTING_DATE',
  PortingDateNotReached = 'PORTING_DATE_NOT_REACHED',
  BlockHasAssignments = 'BLOCK_HAS_ASSIGNMENTS',
  InvalidSplit = 'INVALID_SPLIT',
  NumberNotInBlock = 'NUMBER_NOT_IN_BLOCK',
  NumberAlreadyAssigned = 'NUMBER_ALREADY_ASSIGNED',
  InvalidTarget = 'INVALID_TARGET',
  InvalidRequest = 'INVALID_REQUEST',
  /** Another block holds some of the numbers (the inventory of their country calling code). */
  BlockOverlaps = 'BLOCK_OVERLAPS',
  /** No block that the caller may see holds the number. */
  NumberNotFound = 'NUMBER_NOT_FOUND',
  /** The caller may not act on this tenant (or group). */
  Forbidden = 'FORBIDDEN',
  /** The inventory kept changing under the order; nothing was ordered, it can be tried again. */
  InventoryBusy = 'INVENTORY_BUSY',
  /** Reserved for the application layer: an append lost an optimistic-concurrency race. */
  VersionConflict = 'VERSION_CONFLICT',
}

export class NumbersError extends CodedError<NumbersErrorCode> {}
