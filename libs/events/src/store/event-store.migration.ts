import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store's schema. Streams are append-only; `pbx_streams.version` is the compare-and-set
 * point for optimistic concurrency, `pbx_events.transaction_id` lets the outbox relay read only
 * transactions that can no longer commit behind it (see OutboxRelay).
 */
export class EventStoreSchema1764028800000 implements MigrationInterface {
  name = 'EventStoreSchema1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS pbx_streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version > 0)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS pbx_events (
        global_position bigserial PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        version integer NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        topic text NOT NULL,
        source text NOT NULL,
        tenant text NOT NULL,
        time timestamptz NOT NULL,
        data bytea NOT NULL,
        UNIQUE (stream_id, version)
      )`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS pbx_events_commit_order ON pbx_events (transaction_id, global_position)`,
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS pbx_relay_checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One round trip per append: the compare-and-set on the stream row and the insert of every
    // event happen in one statement, so the caller's transaction is as short as it can be.
    // p_expected: 'any' | 'no_stream' | 'stream_exists' | 'version' (then p_expected_version).
    await q.query(appendToStreamSql(false));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS pbx_append_to_stream');
    await q.query('DROP TABLE IF EXISTS pbx_relay_checkpoints');
    await q.query('DROP TABLE IF EXISTS pbx_events');
    await q.query('DROP TABLE IF EXISTS pbx_streams');
  }
}

/**
 * Appends to one stream take an advisory lock on it first. Without it, two transactions
 * appending to the same stream could get their transaction ids in the opposite order to their
 * versions: both INSERT a new stream at once (each takes an id, one waits for the other), or a
 * waiter took its id before the holder. The outbox relay publishes in transaction-id order, and so
 * published a stream's versions 3, 4 before 1, 2 (seen in CI). The lock takes no transaction id, so
 * the append that holds it takes its id first. A transaction that wrote something else before
 * appending has its id already; that case is not covered.
 */
export class EventStoreStreamOrder1764028800003 implements MigrationInterface {
  name = 'EventStoreStreamOrder1764028800003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(appendToStreamSql(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(appendToStreamSql(false));
  }
}

const STREAM_LOCK = `
        PERFORM pg_advisory_xact_lock(hashtextextended('pbx_streams:' || p_stream_id, 0));`;

function appendToStreamSql(lockFirst: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION pbx_append_to_stream(
        p_stream_id text, p_expected text, p_expected_version integer,
        p_ids uuid[], p_types text[], p_topics text[], p_source text, p_tenants text[],
        p_times timestamptz[], p_data bytea[])
      RETURNS TABLE (appended boolean, stream_version integer, positions bigint[])
      LANGUAGE plpgsql AS $fn$
      DECLARE
        n integer := cardinality(p_ids);
        v integer;
      BEGIN${lockFirst ? STREAM_LOCK : ''}
        IF p_expected = 'any' THEN
          INSERT INTO pbx_streams AS s (stream_id, version) VALUES (p_stream_id, n)
            ON CONFLICT (stream_id) DO UPDATE SET version = s.version + n
            RETURNING s.version INTO v;
        ELSIF p_expected = 'no_stream' OR (p_expected = 'version' AND p_expected_version = 0) THEN
          INSERT INTO pbx_streams (stream_id, version) VALUES (p_stream_id, n)
            ON CONFLICT (stream_id) DO NOTHING
            RETURNING version INTO v;
        ELSIF p_expected = 'stream_exists' THEN
          UPDATE pbx_streams SET version = version + n WHERE stream_id = p_stream_id
            RETURNING version INTO v;
        ELSE
          UPDATE pbx_streams SET version = version + n
            WHERE stream_id = p_stream_id AND version = p_expected_version
            RETURNING version INTO v;
        END IF;
        IF v IS NULL THEN
          RETURN QUERY SELECT false, (SELECT s.version FROM pbx_streams s WHERE s.stream_id = p_stream_id), NULL::bigint[];
          RETURN;
        END IF;
        RETURN QUERY
          WITH inserted AS (
            INSERT INTO pbx_events (stream_id, version, event_id, type, topic, source, tenant, time, data)
            SELECT p_stream_id, v - n + e.ord::integer, e.id, e.type, e.topic, p_source, e.tenant, e.time, e.data
              FROM unnest(p_ids, p_types, p_topics, p_tenants, p_times, p_data)
                   WITH ORDINALITY AS e(id, type, topic, tenant, time, data, ord)
             ORDER BY e.ord
            RETURNING global_position, version
          )
          SELECT true, v, array_agg(global_position ORDER BY version) FROM inserted;
      END
      $fn$`;
}
