/**
 * Reviews: what is due (within 30 days) and overdue, member links, gang flags and networks, for
 * the signed-in user's unit, under-18s first. Each is reviewed on its own evidence in the review
 * dialog: there is no bulk review. Gang flags are reviewed by supervisors.
 */
import '../../components/matrix.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DueRow, SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, Status } from '../../app/components';
import { DataGrid } from '../../app/grid';
import { abilitiesOf } from '../../components/roles';
import { ReviewDialog } from './ReviewDialog';
import { REVIEW_KIND_LABELS, reviewsColumns } from './reviews.columns';

export function ReviewsScreen({ user, stateOwner }: { user: SessionUser; stateOwner: string }) {
  const { canSupervise } = abilitiesOf(user);
  const [rows, setRows] = useState<DueRow[] | null>(null);
  const [selected, setSelected] = useState<DueRow | null>(null);
  const [quickFilter, setQuickFilter] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState<DueRow | null>(null);

  const load = useCallback(async () => {
    setSelected(null);
    try {
      setRows(await call('reviews:due', {}));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const columns = useMemo(() => reviewsColumns(), []);
  const current = selected && rows?.find((r) => r.id === selected.id);
  const isFlagForAnalyst = current?.kind === 'gang_flag' && !canSupervise;
  const overdue = rows?.filter((r) => r.isOverdue).length ?? 0;

  return (
    <>
      <ScreenHeading>Reviews</ScreenHeading>
      <p className="muted">
        A review is a re-validation: a link or flag is retained only on qualifying intelligence within the evidence window, or by a supervisor with a
        reason. Member links and flags are reviewed every 6 months (3 for under-18s), networks every 12. Each record is reviewed on its own.
      </p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <div className="toolbar">
        <div className="field quick-filter inline">
          <label htmlFor="reviews-quick-filter">Find a review</label>
          <input id="reviews-quick-filter" type="search" value={quickFilter} onChange={(e) => setQuickFilter(e.target.value)} autoComplete="off" />
        </div>
        <button type="button" className="primary" onClick={() => current && setReviewing(current)} disabled={!current || isFlagForAnalyst}>
          Review…
        </button>
        <span className="muted">
          {current
            ? isFlagForAnalyst
              ? 'Gang flags are reviewed by supervisors.'
              : `Selected: ${REVIEW_KIND_LABELS[current.kind].toLowerCase()} ${current.reference}`
            : rows
              ? `${rows.length} due, ${overdue} overdue. Select one to review it.`
              : ''}
        </span>
      </div>
      <DataGrid<DueRow>
        gridId="reviews-due"
        stateOwner={stateOwner}
        label="Reviews due"
        emptyText="Nothing is due for review in the next 30 days."
        rows={rows}
        columns={columns}
        getRowId={(p) => `${p.data.kind}:${p.data.id}`}
        quickFilterText={quickFilter}
        isSelectable
        onSelected={setSelected}
        onRowActivated={(row) => {
          if (row.kind !== 'gang_flag' || canSupervise) setReviewing(row);
        }}
      />
      {reviewing && (
        <ReviewDialog
          kind={reviewing.kind}
          id={reviewing.id}
          title={[reviewing.reference, reviewing.label].filter(Boolean).join(' ')}
          isSupervisor={canSupervise}
          onDone={async (message) => {
            setReviewing(null);
            if (message) {
              setNotice(message);
              await load();
            }
          }}
        />
      )}
    </>
  );
}
