import { z } from 'zod';
import { EventsGatewayError, EventsGatewayErrorCode } from '../../domain/events-gateway.error';
import { EventTypeFilter, MAX_PATTERNS } from '../../domain/event-type-filter';
import { ALL_PUBLIC_EVENT_TYPES } from '../../domain/public-event-types';
import { MAX_URL_LENGTH, parseWebhookUrl } from '../../domain/webhook-url';

export const TENANT_ID = /^[A-Za-z0-9._:-]{1,100}$/;

const eventTypes = z.array(z.string().max(200)).min(1).max(MAX_PATTERNS);
const description = z.string().max(500);

export const CREATE_WEBHOOK_BODY = z.strictObject({
  url: z.string().max(MAX_URL_LENGTH),
  eventTypes,
  description: description.optional(),
  /** The operator names the tenant; an admin's own tenant is the default. */
  tenant: z.string().regex(TENANT_ID).optional(),
});

export const UPDATE_WEBHOOK_BODY = z
  .strictObject({
    url: z.string().max(MAX_URL_LENGTH).optional(),
    eventTypes: eventTypes.optional(),
    description: description.optional(),
    paused: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'nothing to change' });

export function invalidRequest(problems: readonly string[]): EventsGatewayError {
  return new EventsGatewayError(EventsGatewayErrorCode.InvalidRequest, problems.join('; '), {
    problems,
  });
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`,
  );
}

/** Shape, URL and event types checked together, so that one answer lists every problem. */
function checked(
  url: string | undefined,
  types: readonly string[] | undefined,
  allowPrivateUrls: boolean,
): { url?: string; eventTypes?: readonly string[] } {
  const problems: string[] = [];
  const parsedUrl = url === undefined ? undefined : parseWebhookUrl(url, allowPrivateUrls);
  if (parsedUrl && !parsedUrl.ok) problems.push(parsedUrl.error);
  const filter =
    types === undefined ? undefined : EventTypeFilter.parse(types, ALL_PUBLIC_EVENT_TYPES);
  if (filter && !filter.ok) problems.push(...filter.error.map((p) => `eventTypes: ${p}`));
  if (problems.length > 0) throw invalidRequest(problems);
  return {
    ...(parsedUrl?.ok ? { url: parsedUrl.value } : {}),
    ...(filter?.ok ? { eventTypes: filter.value.patterns } : {}),
  };
}

export class CreateWebhookCommand {
  private constructor(
    readonly url: string,
    readonly eventTypes: readonly string[],
    readonly description: string,
    readonly tenant: string | undefined,
  ) {}

  static create(input: unknown, allowPrivateUrls: boolean): CreateWebhookCommand {
    const parsed = CREATE_WEBHOOK_BODY.safeParse(input);
    if (!parsed.success) throw invalidRequest(zodProblems(parsed.error));
    const { url, eventTypes: types } = checked(
      parsed.data.url,
      parsed.data.eventTypes,
      allowPrivateUrls,
    );
    return new CreateWebhookCommand(
      url as string,
      types as readonly string[],
      parsed.data.description ?? '',
      parsed.data.tenant,
    );
  }
}

export class UpdateWebhookCommand {
  private constructor(
    readonly url: string | undefined,
    readonly eventTypes: readonly string[] | undefined,
    readonly description: string | undefined,
    readonly paused: boolean | undefined,
  ) {}

  static create(input: unknown, allowPrivateUrls: boolean): UpdateWebhookCommand {
    const parsed = UPDATE_WEBHOOK_BODY.safeParse(input);
    if (!parsed.success) throw invalidRequest(zodProblems(parsed.error));
    const { url, eventTypes: types } = checked(
      parsed.data.url,
      parsed.data.eventTypes,
      allowPrivateUrls,
    );
    return new UpdateWebhookCommand(url, types, parsed.data.description, parsed.data.paused);
  }
}
