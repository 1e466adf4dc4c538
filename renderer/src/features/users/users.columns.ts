import type { ColDef } from 'ag-grid-community';
import type { z } from 'zod';
import { ROLE_LABELS, type keySlotRow, type userRow } from '../../../../preload/contract';
import { formatUkDate, formatUkDateTime } from '../../app/format';

export type UserRow = z.infer<typeof userRow>;

const statusOf = (u: UserRow) => (u.removedAt ? `Removed ${formatUkDate(u.removedAt)}` : 'Active');
/** Whether the user has replaced the passphrase someone else set for them. */
const passphraseOf = (u: UserRow) => (u.removedAt ? '' : u.mustChangePassphrase ? 'Not yet changed' : 'Their own');

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
  {
    colId: 'passphrase',
    headerName: 'Passphrase',
    width: 190,
    valueGetter: (p) => (p.data ? passphraseOf(p.data) : ''),
  },
];

export type KeySlotRow = z.infer<typeof keySlotRow>;

const SLOT_STATUS_LABELS: Record<KeySlotRow['status'], string> = {
  adding: 'Being added',
  active: 'In use',
  retiring: 'Previous recovery code',
  removed: 'No longer trusted',
  unregistered: 'Not issued by this vault',
};

/** Each key slot as the vault vouches for it; a problem column that is empty when all is well. */
export const keySlotColumns: ColDef<KeySlotRow>[] = [
  {
    colId: 'owner',
    headerName: 'Slot',
    flex: 1,
    minWidth: 180,
    valueGetter: (p) => (!p.data ? '' : p.data.kind === 'recovery' ? 'Recovery code' : (p.data.userName ?? 'Not a user of this vault')),
  },
  { colId: 'status', headerName: 'State', width: 190, valueGetter: (p) => (p.data ? SLOT_STATUS_LABELS[p.data.status] : '') },
  {
    field: 'lastChangedAt',
    headerName: 'Last changed',
    width: 170,
    valueFormatter: (p) => formatUkDateTime(p.value as string),
    filter: false,
  },
  { field: 'format', headerName: 'Format', width: 100, filter: false },
  { field: 'kdf', headerName: 'Key derivation', width: 200 },
  { field: 'problem', headerName: 'Problem', flex: 1, minWidth: 220, valueFormatter: (p) => (p.value as string | null) ?? '' },
];
