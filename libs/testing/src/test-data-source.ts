import { DataSource, type MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** A TypeORM data source on `url` with the given migrations applied. */
export async function openTestDataSource(
  url: string,
  migrations: readonly MigrationClass[],
  poolSize = 10,
): Promise<DataSource> {
  const db = new DataSource({
    type: 'postgres',
    url,
    migrations: [...migrations],
    migrationsTableName: 'pbx_migrations',
    extra: { max: poolSize },
    logging: false,
  });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  return db;
}
