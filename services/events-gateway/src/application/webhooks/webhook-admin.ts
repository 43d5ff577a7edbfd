import { randomBytes, randomUUID } from 'node:crypto';
import { EventsGatewayError, EventsGatewayErrorCode } from '../../domain/events-gateway.error';
import { formatSecret } from '../../domain/webhook-signature';
import type { CreateWebhookCommand, UpdateWebhookCommand } from './webhook-commands';
import { tenantInScope, type Caller } from '../tenant-scope';
import { invalidRequest } from './webhook-commands';
import type {
  DeliveryRecord,
  DeliveryStatus,
  Page,
  WebhookRecord,
  WebhookStore,
} from './webhook-store.port';

export type { Caller } from '../tenant-scope';

/** How long a rotated-out secret keeps signing next to the new one. */
export const SECRET_ROTATION_GRACE_MS = 24 * 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DELIVERY_ID = /^\d{1,18}$/;

export interface CreatedWebhook {
  readonly webhook: WebhookRecord;
  /** Shown once: here, and after a rotation. */
  readonly secret: string;
}

function notFound(id: string): EventsGatewayError {
  return new EventsGatewayError(
    EventsGatewayErrorCode.WebhookNotFound,
    `webhook ${id.slice(0, 60)} does not exist`,
  );
}

/**
 * The webhook use cases of a tenant's administrators and the operator. A webhook of another
 * tenant is answered exactly like one that does not exist.
 */
export class WebhookAdmin {
  constructor(
    private readonly store: WebhookStore,
    private readonly randomSecret: () => Uint8Array = () => randomBytes(32),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(caller: Caller, command: CreateWebhookCommand): Promise<CreatedWebhook> {
    const tenant = await this.tenantFor(caller, command.tenant);
    const secret = formatSecret(this.randomSecret());
    const webhook = await this.store.create({
      id: randomUUID(),
      tenant,
      url: command.url,
      description: command.description,
      eventTypes: command.eventTypes,
      secret,
    });
    return { webhook, secret };
  }

  async list(
    caller: Caller,
    tenant: string | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<WebhookRecord>> {
    if (!caller.operator && tenant !== undefined && tenant !== caller.tenant) {
      return { items: [] };
    }
    return this.store.list(caller.operator ? tenant : caller.tenant, limit, cursor);
  }

  async get(caller: Caller, id: string): Promise<WebhookRecord> {
    const webhook = UUID.test(id) ? await this.store.get(id) : undefined;
    if (!webhook || (!caller.operator && webhook.tenant !== caller.tenant)) throw notFound(id);
    return webhook;
  }

  async update(
    caller: Caller,
    id: string,
    command: UpdateWebhookCommand,
    expectedVersion?: number,
  ): Promise<WebhookRecord> {
    await this.get(caller, id);
    const result = await this.store.update(
      id,
      {
        ...(command.url !== undefined ? { url: command.url } : {}),
        ...(command.eventTypes !== undefined ? { eventTypes: command.eventTypes } : {}),
        ...(command.description !== undefined ? { description: command.description } : {}),
        ...(command.paused !== undefined ? { paused: command.paused } : {}),
      },
      expectedVersion,
    );
    if (result === undefined) throw notFound(id);
    if (result === 'version-mismatch') {
      throw new EventsGatewayError(
        EventsGatewayErrorCode.VersionMismatch,
        `webhook ${id} is no longer at version ${expectedVersion}; read it again`,
      );
    }
    return result;
  }

  async delete(caller: Caller, id: string): Promise<void> {
    await this.get(caller, id);
    if (!(await this.store.delete(id))) throw notFound(id);
  }

  async rotateSecret(caller: Caller, id: string): Promise<CreatedWebhook> {
    await this.get(caller, id);
    const secret = formatSecret(this.randomSecret());
    const until = new Date(this.now().getTime() + SECRET_ROTATION_GRACE_MS);
    const webhook = await this.store.rotateSecret(id, secret, until);
    if (!webhook) throw notFound(id);
    return { webhook, secret };
  }

  async deliveries(
    caller: Caller,
    id: string,
    status: DeliveryStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<DeliveryRecord>> {
    await this.get(caller, id);
    return this.store.deliveries(id, status, limit, cursor);
  }

  async delivery(caller: Caller, id: string, deliveryId: string): Promise<DeliveryRecord> {
    await this.get(caller, id);
    const delivery = DELIVERY_ID.test(deliveryId)
      ? await this.store.delivery(id, deliveryId)
      : undefined;
    if (!delivery) {
      throw new EventsGatewayError(
        EventsGatewayErrorCode.DeliveryNotFound,
        `webhook ${id} has no delivery ${deliveryId.slice(0, 20)}`,
      );
    }
    return delivery;
  }

  /** Dead deliveries back in the queue, in their original order; one, or all of them. */
  async redrive(caller: Caller, id: string, deliveryId?: string): Promise<number> {
    if (deliveryId !== undefined) {
      const delivery = await this.delivery(caller, id, deliveryId);
      if (delivery.status !== 'dead') {
        throw invalidRequest([`delivery ${deliveryId} is ${delivery.status}, not dead`]);
      }
    } else {
      await this.get(caller, id);
    }
    return this.store.redrive(id, deliveryId);
  }

  private tenantFor(caller: Caller, asked: string | undefined): Promise<string> {
    return tenantInScope(caller, asked, (tenant) => this.store.tenantKnown(tenant));
  }
}
