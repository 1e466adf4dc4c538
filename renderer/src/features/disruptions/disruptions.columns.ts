/**
 * The disruptions grid's columns (the matrix grid's conventions: UK dates with a date filter,
 * words not codes, formatters as functions so the CSP needs no 'unsafe-eval').
 */
import type { ColDef } from 'ag-grid-community';
import type { DisruptionRow } from '../../../../preload/contract';
import { ownFormatting } from '../../components/columns';
import { formatDay, todayIso } from '../../components/dates';
import type { ReferenceLookup } from '../../components/reference';
import { dayFilterParams } from '../matrix/matrix.columns';
import { DURABILITY_LABELS, LEVEL_RANK, levelLabel, statusLabel, type Level } from './labels';

const day = (field: keyof DisruptionRow & string, headerName: string, width = 130): ColDef<DisruptionRow> => ({
  field,
  headerName,
  width,
  valueFormatter: (p) => formatDay(p.value as string | null),
  filter: 'agDateColumnFilter',
  filterParams: dayFilterParams,
  getQuickFilterText: (p) => formatDay(p.value as string | null),
});

const level = (field: 'claimedLevel' | 'level', headerName: string): ColDef<DisruptionRow> => ({
  field,
  headerName,
  width: field === 'level' ? 105 : 125,
  valueFormatter: (p) => levelLabel(p.value as string),
  filterValueGetter: (p) => (p.data ? levelLabel(p.data[field]) : ''),
  getQuickFilterText: (p) => levelLabel(p.value as string),
  comparator: (a: Level, b: Level) => LEVEL_RANK[a] - LEVEL_RANK[b],
});

/** The durability review: its outcome once recorded, otherwise when it is due (and whether it is overdue). */
export function durabilityText(r: Pick<DisruptionRow, 'durabilityDueOn' | 'durabilityOutcome'>, today = todayIso()): string {
  if (r.durabilityOutcome) return DURABILITY_LABELS[r.durabilityOutcome] ?? r.durabilityOutcome;
  if (!r.durabilityDueOn) return '';
  return r.durabilityDueOn <= today ? `${formatDay(r.durabilityDueOn)} (due now)` : formatDay(r.durabilityDueOn);
}

export function disruptionColumns(ref: ReferenceLookup | null, opts: { isNetworkShown?: boolean } = {}): ColDef<DisruptionRow>[] {
  // Status and levels come first: they are what a queue is read for. Column order, widths and
  // visibility can be changed by each user and are remembered.
  const columns: ColDef<DisruptionRow>[] = [
    { field: 'reference', headerName: 'Reference', pinned: 'left', width: 135, lockPinned: true, sort: 'desc' },
    {
      colId: 'network',
      headerName: 'Network',
      width: 140,
      hide: opts.isNetworkShown === false,
      valueGetter: (p) => (p.data ? `${p.data.networkReference}${p.data.otherNetworkCount ? ` +${p.data.otherNetworkCount}` : ''}` : ''),
    },
    {
      field: 'status',
      headerName: 'Status',
      width: 120,
      valueFormatter: (p) => statusLabel(p.value as string),
      filterValueGetter: (p) => (p.data ? statusLabel(p.data.status) : ''),
      getQuickFilterText: (p) => statusLabel(p.value as string),
      cellClass: (p) => `status-cell status-${p.value as string}`,
    },
    level('claimedLevel', 'Claimed level'),
    level('level', 'Level'),
    { field: 'operationReference', headerName: 'Operation', width: 130 },
    day('activityStart', 'Activity from', 125),
    day('activityEnd', 'Activity to', 120),
    {
      field: 'claimingBusinessGroup',
      headerName: 'Business group',
      width: 135,
      getQuickFilterText: (p) => `${p.value as string} ${ref?.businessGroupName(p.value as string) ?? ''}`,
    },
    { field: 'claimingUnit', headerName: 'Unit', width: 140 },
    { field: 'claimantName', headerName: 'Claimant', width: 140 },
    day('validatedOn', 'Validated on', 125),
    {
      colId: 'durability',
      headerName: 'Durability review',
      width: 170,
      valueGetter: (p) => (p.data ? durabilityText(p.data) : ''),
      // Sorts by the due date, not by the words.
      comparator: (_a, _b, na, nb) => (na.data?.durabilityDueOn ?? '').localeCompare(nb.data?.durabilityDueOn ?? ''),
    },
    { field: 'partnerReference', headerName: 'Partner reference', width: 150, hide: true, valueFormatter: (p) => (p.value as string | null) ?? '' },
  ];
  return ownFormatting(columns);
}
