import type { ComponentChildren } from "preact";
import { TableScroll } from "./table-scroll.js";

/**
 * A table of rows under named column headers, scrolling sideways on narrow screens. A column given
 * as `false` is left out (e.g. Actions, for a role that cannot act); `caption` is for screen readers.
 */
export function DataTable({
  label,
  caption,
  columns,
  children,
}: {
  label: string;
  caption?: string;
  columns: ReadonlyArray<string | false>;
  children: ComponentChildren;
}) {
  return (
    <TableScroll label={label}>
      <table>
        {caption !== undefined && <caption class="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map(
              (column) =>
                column !== false && (
                  <th scope="col" key={column}>
                    {column}
                  </th>
                ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}

/** A row's action button; `danger` for one that removes something. */
export function RowAction({
  label,
  danger = false,
  onClick,
  children,
}: {
  label: string;
  danger?: boolean;
  onClick: () => void;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={danger ? "danger" : undefined}
      aria-label={label}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
