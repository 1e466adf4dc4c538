/**
 * The matrix grid's columns. Value formatters are functions (no string expressions: the CSP has
 * no 'unsafe-eval'); the band cell is coloured by class and always says its band in words.
 */
import { ownFormatting } from '../../components/columns';
import type { ColDef, IDateFilterParams, ValueFormatterParams } from 'ag-grid-community';
import type { MatrixRow } from '../../../../preload/contract';
import { formatDay } from '../../components/dates';
import { BAND_RANK, BAND_SHORT, CONFIDENCE_LABELS, confidenceRank, NETWORK_STATUS_LABELS, networkTypeLabel, type Band } from '../../components/labels';
import { fixed, trendText } from '../../components/numbers';
import type { ReferenceLookup } from '../../components/reference';

const oneDecimal = (p: ValueFormatterParams<MatrixRow, number>) => fixed(p.value, 1);

/** Compares an ISO day in a cell with the day picked in the grid's date filter. */
export const dayFilterParams: IDateFilterParams = {
  comparator: (filterDate: Date, cellValue: string | null) => {
    if (!cellValue) return -1;
    const [y, m, d] = cellValue.split('-').map(Number) as [number, number, number];
    const cell = new Date(y, m - 1, d).getTime();
    return cell < filterDate.getTime() ? -1 : cell > filterDate.getTime() ? 1 : 0;
  },
};

function bandText(row: MatrixRow): string {
  const text = BAND_SHORT[row.band] ?? row.band;
  return row.band !== row.computedBand ? `${text} (override)` : text;
}

/** Business group / unit / lead officer, leaving out what is not recorded. */
function ownerText(row: MatrixRow): string {
  return [row.businessGroup, row.unit, row.leadOfficer].filter(Boolean).join(' / ');
}

export function matrixColumns(ref: ReferenceLookup | null): ColDef<MatrixRow>[] {
  return ownFormatting([
    { field: 'reference', headerName: 'Reference', pinned: 'left', width: 140, lockPinned: true },
    { field: 'name', headerName: 'Name', minWidth: 230, flex: 1 },
    {
      colId: 'type',
      headerName: 'Type',
      width: 150,
      valueGetter: (p) => (p.data ? networkTypeLabel(p.data.type) : ''),
    },
    {
      colId: 'status',
      headerName: 'Status',
      width: 110,
      hide: true,
      valueGetter: (p) => (p.data ? (NETWORK_STATUS_LABELS[p.data.status as keyof typeof NETWORK_STATUS_LABELS] ?? p.data.status) : ''),
    },
    {
      field: 'band',
      headerName: 'Band',
      width: 150,
      valueFormatter: (p) => (p.data ? bandText(p.data) : ''),
      filterValueGetter: (p) => (p.data ? bandText(p.data) : ''),
      getQuickFilterText: (p) => (p.data ? `band ${bandText(p.data)}` : ''),
      comparator: (a: Band, b: Band) => BAND_RANK[a] - BAND_RANK[b],
      cellClass: (p) => `band-cell band-${p.value as string}`,
    },
    { field: 'score', headerName: 'Score', width: 120, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: oneDecimal, sort: 'desc' },
    { field: 'ehPts', headerName: 'EH points', width: 130, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: oneDecimal },
    { field: 'ahPts', headerName: 'AH points', width: 130, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: oneDecimal },
    { field: 'capPts', headerName: 'Capability points', width: 170, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: oneDecimal },
    {
      field: 'confidence',
      headerName: 'Confidence',
      width: 120,
      valueFormatter: (p) => CONFIDENCE_LABELS[p.value as string] ?? '',
      filterValueGetter: (p) => (p.data ? CONFIDENCE_LABELS[p.data.confidence] : ''),
      comparator: (a: string, b: string) => confidenceRank(a) - confidenceRank(b),
    },
    {
      field: 'trend',
      headerName: 'Trend',
      width: 110,
      type: 'numericColumn',
      filter: 'agNumberColumnFilter',
      valueFormatter: (p) => trendText(p.value as number | null),
      cellClass: (p) => ((p.value as number | null) === null ? 'trend-none' : (p.value as number) > 0 ? 'trend-up' : (p.value as number) < 0 ? 'trend-down' : 'trend-none'),
    },
    {
      colId: 'leadBorough',
      headerName: 'Lead borough',
      width: 170,
      valueGetter: (p) => (p.data ? (ref?.boroughName(p.data.leadBorough) ?? p.data.leadBorough) : ''),
    },
    { field: 'otherBoroughCount', headerName: 'Other boroughs', width: 140, type: 'numericColumn', filter: 'agNumberColumnFilter' },
    {
      colId: 'owner',
      headerName: 'Owner',
      width: 220,
      valueGetter: (p) => (p.data ? ownerText(p.data) : ''),
    },
    {
      field: 'nextReviewOn',
      headerName: 'Next review',
      width: 130,
      valueFormatter: (p) => formatDay(p.value as string),
      filter: 'agDateColumnFilter',
      filterParams: dayFilterParams,
      getQuickFilterText: (p) => formatDay(p.value as string),
    },
    {
      field: 'isOverdue',
      headerName: 'Overdue',
      width: 110,
      valueFormatter: (p) => (p.value ? 'Overdue' : ''),
      filterValueGetter: (p) => (p.data?.isOverdue ? 'Overdue' : 'Not overdue'),
      getQuickFilterText: (p) => (p.value ? 'overdue' : ''),
      cellClass: (p) => (p.value ? 'marker-cell marker-overdue-cell' : undefined),
    },
    {
      field: 'under18LinkCount',
      headerName: 'Under-18 links',
      width: 140,
      type: 'numericColumn',
      filter: 'agNumberColumnFilter',
      valueFormatter: (p) => ((p.value as number) > 0 ? `Under 18 × ${p.value as number}` : ''),
      getQuickFilterText: (p) => ((p.value as number) > 0 ? 'under 18' : ''),
      cellClass: (p) => ((p.value as number) > 0 ? 'marker-cell marker-u18-cell' : undefined),
    },
  ]);
}
