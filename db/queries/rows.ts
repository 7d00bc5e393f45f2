import { getTableColumns, sql, type Table } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** Rows of `execute`: postgres-js answers an array, PGlite `{ rows }`. */
export function rowsOf<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

/**
 * `column in <ids>` as ONE jsonb parameter: constant statement text, cheap to build and to send (a list of 500
 * bound parameters costs a placeholder, a type and a value each, every call).
 */
export function inIds(column: AnyPgColumn, ids: string[]) {
  return sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/**
 * A table's rows from a raw statement (rawQuery, `execute`), mapped as Drizzle maps them (each column's own driver
 * decoding: dates, jsonb, bigint numbers) without its per-field dispatch, which costs about a microsecond a field: a
 * 500-conversation list maps some 30,000 fields. `prefix`: the columns were selected as `"<prefix><name>"`.
 */
export function tableRows<T extends Table, K extends keyof T['$inferSelect'] & string = keyof T['$inferSelect'] & string>(table: T, prefix = '', keys?: readonly K[]) {
  const columns = Object.entries(getTableColumns(table))
    .filter(([key]) => !keys || (keys as readonly string[]).includes(key))
    .map(([key, col]) => ({ key, name: col.name, as: prefix + col.name, col }));
  return {
    /** `alias."name" as "<prefix>name", …` for a select list. */
    select: (alias: string) => columns.map((c) => `${alias}."${c.name}"${prefix ? ` as "${c.as}"` : ''}`).join(', '),
    map(row: Record<string, unknown>): Pick<T['$inferSelect'], K> {
      const out: Record<string, unknown> = {};
      for (const c of columns) {
        const v = row[c.as];
        out[c.key] = v === null || v === undefined ? null : c.col.mapFromDriverValue(v);
      }
      return out as Pick<T['$inferSelect'], K>;
    },
  };
}
