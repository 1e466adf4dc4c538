import type { ColDef } from 'ag-grid-community';

/**
 * Turn off ag-grid's cell data type inference for these columns: it would draw booleans as
 * checkboxes and re-format ISO days with its own date handling, ignoring our formatters (the
 * words "Under 18", UK dates). Every column here says how it is shown.
 */
export function ownFormatting<T>(columns: ColDef<T>[]): ColDef<T>[] {
  return columns.map((c) => ({ cellDataType: false, ...c }));
}
