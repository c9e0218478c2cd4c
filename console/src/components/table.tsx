import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface Column<T> {
  key: string;
  label: string;
  /** The cell; defaults to String(row[key]). */
  render?: (row: T) => ComponentChildren;
  /** The value sorted on; absent: not sortable. */
  sort?: (row: T) => string | number;
}

/**
 * A table with sortable columns (the header buttons are keyboard reachable; aria-sort says the order). `limit`
 * renders only the first rows (a 10,000-row listing stays fast; the caller filters first).
 */
export function Table<T>({
  rows,
  columns,
  rowKey,
  caption,
  limit = 500,
  empty = 'Nothing here.',
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  caption: string;
  limit?: number;
  empty?: string;
}) {
  const [sortBy, setSortBy] = useState<{ key: string; dir: 1 | -1 } | undefined>(undefined);
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === sortBy?.key);
    if (!col?.sort || !sortBy) return rows;
    const by = col.sort;
    return [...rows].sort((a, b) => {
      const x = by(a);
      const y = by(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sortBy.dir;
    });
  }, [rows, columns, sortBy]);
  const shown = sorted.slice(0, limit);
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const dir = sortBy?.key === c.key ? sortBy.dir : undefined;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={dir === 1 ? 'ascending' : dir === -1 ? 'descending' : undefined}
                >
                  {c.sort ? (
                    <button
                      type="button"
                      class="th-sort"
                      onClick={() => setSortBy({ key: c.key, dir: dir === 1 ? -1 : 1 })}
                    >
                      {c.label}
                      <span aria-hidden="true">{dir === 1 ? ' ▲' : dir === -1 ? ' ▼' : ''}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 ? (
            <tr>
              <td colSpan={columns.length} class="empty">
                {empty}
              </td>
            </tr>
          ) : (
            shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.key} data-label={c.label}>
                    {c.render ? c.render(row) : String((row as Record<string, unknown>)[c.key] ?? '')}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {sorted.length > limit ? (
        <p class="muted">
          Showing {limit} of {sorted.length}; narrow the filter to see the rest.
        </p>
      ) : null}
    </div>
  );
}
