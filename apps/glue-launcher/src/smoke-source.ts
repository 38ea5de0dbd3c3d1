import { readObjectBytes, type Lake } from '@streampulse/lake';
import { aggregateParquetCsv } from '@streampulse/local-query';
import { aggregateObjectKey, LAKE_LAYOUT, WAREHOUSE_TABLES } from '@streampulse/schema';
import { connectWarehouse, dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import { changedDaysIn, GLUE_REJECTED_PREFIX, isChangedDaysPart } from '@streampulse/glue';
import type { SmokeSource } from './smoke.js';

/**
 * The real results source of `smoke`: the warehouse at `databaseUrl` (the one the Glue jobs
 * write to; `reset` empties its processed tables, so point it at a scratch database) and the
 * aggregate Parquet objects read through `lakeFor(root)`.
 *
 * @example
 * const source = await warehouseSmokeSource(databaseUrl, (root) => openLake(root, { env }));
 */
export async function warehouseSmokeSource(
  databaseUrl: string,
  lakeFor: (root: string) => Lake,
): Promise<SmokeSource> {
  const pool = await connectWarehouse(databaseUrl, { max: 2, applicationName: 'glue-launcher smoke' });
  return {
    async reset() {
      await migrate(pool);
      await pool.query(`TRUNCATE ${WAREHOUSE_TABLES.processed}, ${WAREHOUSE_TABLES.dayChanges}`);
    },
    processedCsv: () => dumpProcessedCsv(pool),
    async aggregateCsv(root, table, day) {
      const lake = lakeFor(root);
      const key = aggregateObjectKey(table, day, 'parquet');
      if (!(await lake.stat(key))) return undefined;
      return aggregateParquetCsv([await readObjectBytes(lake, key)], table);
    },
    async changedDays(root) {
      const lake = lakeFor(root);
      const days = new Set<string>();
      for await (const object of lake.list(LAKE_LAYOUT.changedDays)) {
        if (!isChangedDaysPart(object.key)) continue;
        const text = (await readObjectBytes(lake, object.key)).toString('utf8');
        for (const day of changedDaysIn(text, `${root}/${object.key}`)) days.add(day);
      }
      return [...days].sort();
    },
    async rejectedReasons(root) {
      const lake = lakeFor(root);
      const reasons: string[] = [];
      for await (const object of lake.list(GLUE_REJECTED_PREFIX)) {
        if (!object.key.slice(object.key.lastIndexOf('/') + 1).startsWith('part-')) continue;
        const text = (await readObjectBytes(lake, object.key)).toString('utf8');
        for (const line of text.split('\n')) {
          if (line.trim() !== '') reasons.push(reasonOf(line));
        }
      }
      return reasons;
    },
    close: () => pool.end(),
  };
}

function reasonOf(line: string): string {
  try {
    const reason = (JSON.parse(line) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : 'unreadable line';
  } catch {
    return 'unreadable line';
  }
}
