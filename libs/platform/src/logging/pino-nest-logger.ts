import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

interface NestArguments {
  context?: string;
  stack?: string;
  /** Plain objects among the arguments, merged, as Nest's own logger does. */
  params?: Record<string, unknown>;
  /** Any other extra arguments. */
  args?: unknown[];
}

// Nest's test for a stack trace (ConsoleLogger.isStackFormat).
const STACK_FORMAT = /\n[ \t]+at .+:\d+:\d+/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isStack(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && STACK_FORMAT.test(value));
}

/** Nest passes the context last: `log(message, ...extra, context?)`. */
function splitArguments(params: readonly unknown[]): NestArguments {
  const last = params[params.length - 1];
  const hasContext = params.length > 0 && typeof last === 'string';
  const rest = hasContext ? params.slice(0, -1) : params;
  const result: NestArguments = hasContext ? { context: last } : {};
  for (const value of rest) {
    if (isPlainObject(value)) result.params = { ...result.params, ...value };
    else (result.args ??= []).push(value);
  }
  return result;
}

/**
 * `error(message, stack?, context?)`, read as ConsoleLogger reads it: `new Logger('Ctx').error(m)`
 * arrives as `(m, undefined, 'Ctx')`, a lone argument is a stack only if it looks like one.
 */
function splitErrorArguments(params: readonly unknown[]): NestArguments {
  if (params.length === 0) return {};
  if (params.length === 1)
    return isStack(params[0]) ? withStack({}, params[0]) : splitArguments(params);
  const last = params[params.length - 1];
  if (typeof last === 'string' && STACK_FORMAT.test(last))
    return withStack(splitArguments(params.slice(0, -1)), last);
  // Otherwise the last argument that is neither the context nor a plain object is the stack.
  const parsed = splitArguments(params);
  const candidate = parsed.args?.[parsed.args.length - 1];
  if (parsed.args === undefined || (candidate !== undefined && typeof candidate !== 'string'))
    return parsed;
  const args = parsed.args.slice(0, -1);
  const { args: _dropped, ...withoutArgs } = parsed;
  return withStack(args.length > 0 ? { ...withoutArgs, args } : withoutArgs, candidate);
}

function withStack(parsed: NestArguments, stack: string | undefined): NestArguments {
  return stack === undefined ? parsed : { ...parsed, stack };
}

/**
 * Lets Nest log through pino, so that its own lines (bootstrap, routes, exceptions) come out as the
 * same JSON as ours: `NestFactory.create(AppModule, { logger: new PinoNestLogger(logger) })`.
 * Nest's context argument becomes the `context` field. Levels are pino's, set from LOG_LEVEL;
 * `setLogLevels` is left out on purpose so that Nest cannot change the shared logger's level.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, splitArguments, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, splitErrorArguments, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, splitArguments, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, splitArguments, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, splitArguments, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, splitErrorArguments, optionalParams);
  }

  private write(
    level: Level,
    message: unknown,
    split: (params: readonly unknown[]) => NestArguments,
    params: readonly unknown[],
  ): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let text: string | undefined;
    if (typeof message === 'string') text = message;
    else if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (isPlainObject(message)) Object.assign(fields, message);
    else fields.data = message;
    Object.assign(fields, split(params));
    if (text === undefined) this.logger[level](fields);
    else this.logger[level](fields, text);
  }
}
