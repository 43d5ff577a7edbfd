/**
 * The one shape of every module's error: a string code from the module's enum (which transports
 * map to their statuses in one place), a message for people, and details for machines.
 */
export abstract class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
