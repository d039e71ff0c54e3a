import type { ReactNode } from 'react';
import { useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import type { Loaded } from '../ui/use-load.ts';

/** A plain table for the admin lists (hundreds of rows at most: no virtualization needed). */
export function AdminTable<T>({
  label,
  loaded,
  columns,
  row,
  rowKey,
}: {
  label: string;
  loaded: Loaded<readonly T[]>;
  columns: readonly string[];
  row: (item: T) => ReactNode[];
  rowKey: (item: T) => string | number;
}) {
  const t = useT();
  return (
    <div className="admin-table">
      <div className="admin-table-bar">
        <button type="button" onClick={loaded.reload} disabled={loaded.loading}>
          {t('admin.refresh')}
        </button>
        {loaded.loading && <span>{t('admin.loading')}</span>}
        {loaded.error && (
          <span role="alert" className="error">
            {failureText(t, loaded.error)}
          </span>
        )}
      </div>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loaded.data?.map((item) => (
            <tr key={rowKey(item)}>
              {row(item).map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {loaded.data?.length === 0 && <p className="empty">{t('admin.empty')}</p>}
    </div>
  );
}
