import { parseE164 } from '../../../domain/number-kind';

/** `DELETE /number-blocks/{id}/assignments/{number}`; the number with or without its "+". */
export class UnassignNumberCommand {
  private constructor(
    readonly blockId: string,
    readonly number: string,
    readonly expectedVersion: number | undefined,
  ) {}

  static create(blockId: string, number: string, expectedVersion?: number): UnassignNumberCommand {
    const trimmed = number.trim();
    return new UnassignNumberCommand(
      blockId,
      parseE164(/^[0-9]/.test(trimmed) ? `+${trimmed}` : trimmed),
      expectedVersion,
    );
  }
}
