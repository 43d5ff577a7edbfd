/** What a statement runs on: a DataSource, a DatabaseConnection or a transaction's manager. */
interface Runner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * The rows a data-changing statement with RETURNING gave back. Wrapped in a CTE because TypeORM
 * answers a bare UPDATE or DELETE with `[rows, count]` rather than the rows.
 */
export async function changedRows<T>(runner: Runner, sql: string, params: unknown[]): Promise<T[]> {
  return (await runner.query(`WITH changed AS (${sql}) SELECT * FROM changed`, params)) as T[];
}

/** How many rows a data-changing statement with RETURNING touched (see changedRows). */
export async function count(runner: Runner, sql: string, params: unknown[]): Promise<number> {
  const [row] = (await runner.query(
    `WITH changed AS (${sql}) SELECT count(*)::int AS n FROM changed`,
    params,
  )) as { n: number }[];
  return row.n;
}
