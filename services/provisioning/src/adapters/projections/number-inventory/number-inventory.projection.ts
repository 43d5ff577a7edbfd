import { fromBinary } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import {
  CONSUMER_GROUPS,
  NumberBlockReleasedSchema,
  NumberBlockReservedSchema,
  TOPICS,
} from '@pbx/proto';

/** Blocks are at most 10,000 numbers (N3); anything larger on the wire is not a block. */
const MAX_BLOCK = 10_000;
const E164 = /^\+[1-9]\d{1,14}$/;

function range(first: string, size: number): { first: string; size: number } | undefined {
  return E164.test(first) && Number.isInteger(size) && size >= 1 && size <= MAX_BLOCK
    ? { first: first.slice(1), size }
    : undefined;
}

/**
 * The numbers each tenant's inventory holds, from the inventory's reservations and releases
 * (`pbx.numbers.v1`; one stream per calling code, so they arrive in order).
 */
export const numberInventoryProjection: Projection = {
  name: CONSUMER_GROUPS.provisioningNumberInventory,
  topics: [TOPICS.numbers],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (envelope.type === NumberBlockReservedSchema.typeName) {
      const order = fromBinary(NumberBlockReservedSchema, envelope.data).order;
      const numbers = order && range(order.firstNumber, order.size);
      if (!order || !numbers) return;
      await tx.query(
        `INSERT INTO provisioning_inventory_numbers (number, tenant_id)
         SELECT '+' || (($1::numeric) + g)::text, $3 FROM generate_series(0, $2 - 1) AS g
         ON CONFLICT (number) DO UPDATE SET tenant_id = EXCLUDED.tenant_id`,
        [numbers.first, numbers.size, order.tenantId],
      );
    } else if (envelope.type === NumberBlockReleasedSchema.typeName) {
      const released = fromBinary(NumberBlockReleasedSchema, envelope.data);
      const numbers = range(released.firstNumber, released.size);
      if (!numbers) return;
      await tx.query(
        `DELETE FROM provisioning_inventory_numbers
          WHERE tenant_id = $3 AND number IN (
            SELECT '+' || (($1::numeric) + g)::text FROM generate_series(0, $2 - 1) AS g)`,
        [numbers.first, numbers.size, released.tenantId],
      );
    }
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM provisioning_inventory_numbers');
  },
};
