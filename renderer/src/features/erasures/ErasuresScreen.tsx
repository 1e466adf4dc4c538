/**
 * The erase register (supervisors and administrators): every erasure, newest first, with when,
 * the kind, the record's reference and id, the reason, who erased it and what went with it, in
 * numbers. It names no one erased: the register holds references and ids only. Sortable and
 * filterable like every grid; the quick filter searches every column.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ErasureRow } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading } from '../../app/components';
import { DataGrid } from '../../app/grid';
import { erasureColumns } from './erasures.columns';

export function ErasuresScreen({ stateOwner }: { stateOwner: string }) {
  const [rows, setRows] = useState<ErasureRow[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [quickFilter, setQuickFilter] = useState('');
  const columns = useMemo(() => erasureColumns, []);

  const load = useCallback(async () => {
    try {
      setRows(await call('erasures:list'));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <ScreenHeading>Erase register</ScreenHeading>
      <p className="muted">
        Every record erased from this vault (DPA 2018 s.47): when, what kind, its reference and id, the reason, who erased it and what went with it. Names
        and dates of birth are never kept here. An erasure re-applied when an older backup was restored says when.
      </p>
      {failure && <Alert>{failure}</Alert>}
      <div className="field quick-filter">
        <label htmlFor="erasures-quick-filter">Find an erasure</label>
        <input id="erasures-quick-filter" type="search" value={quickFilter} onChange={(e) => setQuickFilter(e.target.value)} autoComplete="off" />
      </div>
      <DataGrid<ErasureRow>
        gridId="erasures"
        stateOwner={stateOwner}
        label="Erase register"
        emptyText="Nothing has been erased from this vault."
        rows={rows}
        columns={columns}
        getRowId={(p) => p.data.id}
        quickFilterText={quickFilter}
      />
    </>
  );
}
