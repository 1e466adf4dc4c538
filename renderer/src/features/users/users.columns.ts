import type { ColDef } from 'ag-grid-community';
import type { z } from 'zod';
import { ROLE_LABELS, type userRow } from '../../../../preload/contract';
import { formatUkDate } from '../../app/format';

export type UserRow = z.infer<typeof userRow>;

const statusOf = (u: UserRow) => (u.removedAt ? `Removed ${formatUkDate(u.removedAt)}` : 'Active');

export const userColumns: ColDef<UserRow>[] = [
  { field: 'name', headerName: 'Name', flex: 1, minWidth: 160, sort: 'asc' },
  {
    field: 'role',
    headerName: 'Role',
    width: 160,
    valueFormatter: (p) => (p.value ? ROLE_LABELS[p.value as UserRow['role']] : ''),
    filterValueGetter: (p) => (p.data ? ROLE_LABELS[p.data.role] : ''),
  },
  { field: 'unit', headerName: 'Unit', width: 170 },
  {
    field: 'createdAt',
    headerName: 'Added',
    width: 140,
    valueFormatter: (p) => formatUkDate(p.value as string),
    filter: false,
  },
  {
    colId: 'status',
    headerName: 'Status',
    width: 180,
    valueGetter: (p) => (p.data ? statusOf(p.data) : ''),
  },
];
