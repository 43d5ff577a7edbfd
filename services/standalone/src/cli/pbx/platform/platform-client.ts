import type { z } from 'zod';
import { kindSlug, resourceRef, type PbxDocument } from '../manifest/pbx-document';
import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';
import {
  type ApplyResponse,
  applyResponseSchema,
  deleteResponseSchema,
  type ErrorBody,
  errorBodySchema,
  isPbxDocument,
  listResponseSchema,
  type PlatformProblem,
} from './platform-contract';
import type { PlatformConnection } from './platform-connection';

/** What `apply` learns: applied (or would apply), or refused with the problems of the file. */
export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly response: ApplyResponse }
  | {
      readonly kind: 'invalid';
      readonly message: string;
      readonly problems: readonly PlatformProblem[];
    };

/** The operator API as the `pbx` commands use it. */
export interface PlatformClient {
  apply(documents: readonly PbxDocument[], dryRun: boolean): Promise<ApplyOutcome>;
  get(kind: string, name: string): Promise<PbxDocument>;
  list(kind: string): Promise<PbxDocument[]>;
  delete(kind: string, name: string): Promise<void>;
}

/** A whole company applied in one transaction can take a while; no answer at all cannot. */
const REQUEST_TIMEOUT_MS = 120_000;

interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

export class HttpPlatformClient implements PlatformClient {
  constructor(
    private readonly connection: PlatformConnection,
    private readonly timeoutMs: number = REQUEST_TIMEOUT_MS,
  ) {}

  async apply(documents: readonly PbxDocument[], dryRun: boolean): Promise<ApplyOutcome> {
    const answer = await this.request('POST', `/api/v1/apply?dryRun=${dryRun}`, { documents });
    if (answer.status === 200) {
      return { kind: 'applied', response: this.expect(applyResponseSchema, answer) };
    }
    const error = errorBodySchema.safeParse(answer.body);
    if (answer.status === 422 && error.success) {
      return {
        kind: 'invalid',
        message: error.data.error.message,
        problems: error.data.error.problems ?? [],
      };
    }
    throw this.failure(answer, 'apply');
  }

  async get(kind: string, name: string): Promise<PbxDocument> {
    const answer = await this.request('GET', resourcePath(kind, name));
    if (answer.status === 404) throw notFound(kind, name);
    if (answer.status !== 200) throw this.failure(answer, `get ${resourceRef(kind, name)}`);
    if (!isPbxDocument(answer.body)) throw this.unexpected(answer, 'a pbx/v1 document');
    return answer.body;
  }

  async list(kind: string): Promise<PbxDocument[]> {
    const answer = await this.request('GET', resourcePath(kind));
    if (answer.status !== 200) throw this.failure(answer, `list ${kindSlug(kind)}`);
    const { items } = this.expect(listResponseSchema, answer);
    if (!items.every(isPbxDocument)) throw this.unexpected(answer, 'a list of pbx/v1 documents');
    return items;
  }

  async delete(kind: string, name: string): Promise<void> {
    const answer = await this.request('DELETE', resourcePath(kind, name));
    if (answer.status === 404) throw notFound(kind, name);
    if (answer.status !== 200) throw this.failure(answer, `delete ${resourceRef(kind, name)}`);
    this.expect(deleteResponseSchema, answer);
  }

  private async request(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const { baseUrl, token } = this.connection;
    let text: string;
    let status: number;
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // The token must never follow a redirect to another host.
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    try {
      return { status, body: text === '' ? undefined : JSON.parse(text) };
    } catch {
      return { status, body: text };
    }
  }

  private unreachable(error: unknown): PbxCliError {
    const { baseUrl, isLocalDefault } = this.connection;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${this.timeoutMs / 1000} s`
        : causeOf(error);
    const hint = isLocalDefault
      ? '; is the standalone platform running (npm start)? Set PBX_API_URL to reach another one'
      : '';
    return new PbxCliError(
      PbxCliErrorCode.Unreachable,
      `cannot reach the platform at ${baseUrl}: ${reason}${hint}`,
    );
  }

  /** The one mapping from an HTTP status the command did not expect to an error of the command. */
  private failure(answer: HttpAnswer, action: string): PbxCliError {
    const parsed = errorBodySchema.safeParse(answer.body);
    const error: ErrorBody['error'] | undefined = parsed.success ? parsed.data.error : undefined;
    const said = error === undefined ? `HTTP ${answer.status}` : `${error.message} (${error.code})`;
    const { credentialSource } = this.connection;
    if (answer.status === 401) {
      return new PbxCliError(
        PbxCliErrorCode.Unauthorized,
        `the platform refused the operator credential from ${credentialSource}: ${said}`,
      );
    }
    if (answer.status === 403) {
      return new PbxCliError(
        PbxCliErrorCode.Unauthorized,
        `the credential from ${credentialSource} may not ${action}: ${said}`,
      );
    }
    if (
      answer.status === 404 ||
      answer.status === 400 ||
      answer.status === 409 ||
      answer.status === 422
    ) {
      return new PbxCliError(PbxCliErrorCode.Refused, `the platform refused to ${action}: ${said}`);
    }
    if (answer.status === 503) {
      return new PbxCliError(
        PbxCliErrorCode.PlatformFailure,
        `the platform is not ready to ${action}; try again shortly: ${said}`,
      );
    }
    return new PbxCliError(
      PbxCliErrorCode.PlatformFailure,
      `the platform failed to ${action} (HTTP ${answer.status}): ${said}`,
    );
  }

  private expect<S extends z.ZodType>(schema: S, answer: HttpAnswer): z.infer<S> {
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw this.unexpected(answer, 'the documented answer');
    return parsed.data;
  }

  private unexpected(answer: HttpAnswer, expected: string): PbxCliError {
    return new PbxCliError(
      PbxCliErrorCode.PlatformFailure,
      `the platform at ${this.connection.baseUrl} answered HTTP ${answer.status} without ` +
        `${expected}; is it a different version of the platform?`,
    );
  }
}

function resourcePath(kind: string, name?: string): string {
  const base = `/api/v1/resources/${encodeURIComponent(kindSlug(kind))}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

function notFound(kind: string, name: string): PbxCliError {
  return new PbxCliError(PbxCliErrorCode.NotFound, `${resourceRef(kind, name)} not found`);
}

/**
 * fetch says "fetch failed"; the reason (`connect ECONNREFUSED 127.0.0.1:8080`) is its cause.
 * Read by shape, not `instanceof`: the cause comes from another realm under Jest.
 */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause as
    { message?: unknown; code?: unknown; errors?: unknown } | undefined;
  if (typeof cause === 'object' && cause !== null) {
    // An AggregateError (IPv4 and IPv6 both refused) has an empty message; its parts do not.
    const parts = Array.isArray(cause.errors) ? (cause.errors as { message?: unknown }[]) : [cause];
    const messages = parts
      .map((part) => part.message)
      .filter((message): message is string => typeof message === 'string' && message !== '');
    if (messages.length > 0) return [...new Set(messages)].join('; ');
    if (typeof cause.code === 'string') return cause.code;
  }
  return (error as Error).message;
}
