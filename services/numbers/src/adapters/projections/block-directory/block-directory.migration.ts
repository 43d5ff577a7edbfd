import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model of number blocks (`GET /number-blocks`) and of who holds a number
 * (`GET /numbers/{e164}`). Each row is written by the events of its own block's stream only, so
 * the model needs no order between streams (Kafka keeps order within a stream, not across).
 */
export class NumbersBlockDirectory1764028800500 implements MigrationInterface {
  name = 'NumbersBlockDirectory1764028800500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS numbers_blocks (
        block_id text COLLATE "C" PRIMARY KEY,
        tenant_id text NOT NULL,
        status text NOT NULL,
        order_kind text NOT NULL,
        number_kind text NOT NULL,
        country text NOT NULL,
        first_number text COLLATE "C" NOT NULL,
        last_number text COLLATE "C" NOT NULL,
        size integer NOT NULL,
        assignment_letter text NOT NULL,
        order_reference text NOT NULL,
        parent_block_id text,
        porting_date text,
        parts text[],
        assignments integer NOT NULL DEFAULT 0,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS numbers_blocks_by_tenant ON numbers_blocks (tenant_id, block_id)',
    );
    // Numbers of one length compare as (byte-wise) text as they do as numbers: range lookups.
    await q.query(
      'CREATE INDEX IF NOT EXISTS numbers_blocks_by_first_number ON numbers_blocks (first_number)',
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS numbers_assignments (
        block_id text NOT NULL,
        number text NOT NULL,
        target_type text NOT NULL,
        group_id text NOT NULL,
        target_id text,
        PRIMARY KEY (block_id, number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS numbers_assignments');
    await q.query('DROP TABLE IF EXISTS numbers_blocks');
  }
}
