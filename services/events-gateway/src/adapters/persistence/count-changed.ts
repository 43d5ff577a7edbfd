/**
 * Rows a data-changing statement with RETURNING touched. Wrapped in a CTE because TypeORM
 * answers a bare UPDATE or DELETE with `[rows, count]` rather than the rows.
 */
export async function count(
  runner: { query(sql: string, params?: unknown[]): Promise<unknown> },
  sql: string,
  params: unknown[],
): Promise<number> {
  const [row] = (await runner.query(
    `WITH changed AS (${sql}) SELECT count(*)::int AS n FROM changed`,
    params,
  )) as {
    n: number;
  }[];
  return row.n;
}
