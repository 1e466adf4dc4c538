/** Column definitions for the Reviews grid; formatters are functions. */
import type { ColDef } from 'ag-grid-community';
import type { DueRow } from '../../../../preload/contract';
import { ownFormatting } from '../../components/columns';
import { formatDay } from '../../components/dates';
import { dayFilterParams } from '../matrix/matrix.columns';

export const REVIEW_KIND_LABELS: Record<DueRow['kind'], string> = { membership: 'Member link', gang_flag: 'Gang flag', network: 'Network' };

export function reviewsColumns(): ColDef<DueRow>[] {
  return ownFormatting([
    {
      field: 'isUnder18',
      headerName: 'Under 18',
      width: 135,
      sort: 'desc',
      sortIndex: 0,
      valueFormatter: (p) => (p.value ? 'Under 18' : ''),
      filterValueGetter: (p) => (p.data?.isUnder18 ? 'Under 18' : ''),
      getQuickFilterText: (p) => (p.value ? 'under 18' : ''),
      cellClass: (p) => (p.value ? 'marker-cell marker-u18-cell' : undefined),
    },
    { colId: 'kind', headerName: 'Type', width: 130, valueGetter: (p) => (p.data ? REVIEW_KIND_LABELS[p.data.kind] : '') },
    { field: 'reference', headerName: 'Reference', width: 150 },
    { field: 'label', headerName: 'Name', flex: 1, minWidth: 180, valueFormatter: (p) => (p.value as string | null) ?? '' },
    { field: 'networkReference', colId: 'network', headerName: 'Network', width: 145, valueFormatter: (p) => (p.value as string | null) ?? '' },
    {
      field: 'dueOn',
      headerName: 'Review by',
      width: 150,
      sort: 'asc',
      sortIndex: 1,
      valueFormatter: (p) => formatDay(p.value as string),
      filter: 'agDateColumnFilter',
      filterParams: dayFilterParams,
    },
    {
      field: 'isOverdue',
      headerName: 'Overdue',
      width: 120,
      valueFormatter: (p) => (p.value ? 'Overdue' : 'Due'),
      filterValueGetter: (p) => (p.data?.isOverdue ? 'Overdue' : 'Due'),
      cellClass: (p) => (p.value ? 'marker-cell marker-overdue-cell' : undefined),
    },
  ]);
}
