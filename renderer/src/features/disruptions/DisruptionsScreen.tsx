/**
 * Disruption claims: a grid with the matrix grid's conventions (sorting, column filters, column
 * state per user, quick filter, Enter or double-click to open) over four views: all claims, my
 * claims, the validation queue (validators; supervisors also see submitted claims to endorse),
 * and durability reviews due (validators). From here a keeper claims a disruption; opening a row
 * shows the claim with its workflow, harm before and after and the actions open to the user.
 */
import '../../components/matrix.css';
import './disruptions.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DisruptionRecord, DisruptionRow, MatrixRow, SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, Status } from '../../app/components';
import { DataGrid } from '../../app/grid';
import { useReference, type ReferenceLookup } from '../../components/reference';
import { abilitiesOf } from '../../components/roles';
import { Tabs } from '../../components/Tabs';
import { ClaimForm } from './ClaimForm';
import { DisruptionDetail } from './DisruptionDetail';
import { disruptionColumns } from './disruptions.columns';

export type DisruptionView = 'all' | 'mine' | 'validation' | 'durability';

/** Where the screen should open: a new claim for a network, or one claim. */
export type DisruptionIntent = { kind: 'claim'; networkId: string } | { kind: 'open'; id: string };

type Page =
  | { kind: 'list'; notice?: string }
  | { kind: 'claim'; networkId?: string; isFromNetwork?: boolean }
  | { kind: 'edit'; record: DisruptionRecord }
  | { kind: 'detail'; id: string; notice?: string };

const VIEW_LABELS: Record<DisruptionView, string> = {
  all: 'All claims',
  mine: 'My claims',
  validation: 'Validation queue',
  durability: 'Durability reviews due',
};

const EMPTY_TEXT: Record<DisruptionView, string> = {
  all: 'No disruptions have been claimed yet.',
  mine: 'You have not claimed any disruptions.',
  validation: 'Nothing waiting for endorsement or validation.',
  durability: 'No durability reviews are due.',
};

/** Views by role: claims are made by keepers; supervisors endorse; validators validate and review. */
export function viewsFor(user: SessionUser): DisruptionView[] {
  const views: DisruptionView[] = ['all'];
  if (user.role === 'analyst' || user.role === 'supervisor') views.push('mine');
  if (user.role === 'validator' || user.role === 'supervisor') views.push('validation');
  if (user.role === 'validator') views.push('durability');
  return views;
}

/** The view and quick filter survive opening a claim and coming back; locking reloads the page and clears them. */
const remembered: { view: DisruptionView | null; quickFilter: string } = { view: null, quickFilter: '' };

export function DisruptionsScreen(props: {
  user: SessionUser;
  stateOwner: string;
  intent?: DisruptionIntent | null;
  onOpenNetwork: (id: string) => void;
}) {
  const { user } = props;
  const { reference, failure: referenceFailure } = useReference();
  const [page, setPage] = useState<Page>(() =>
    props.intent?.kind === 'claim'
      ? { kind: 'claim', networkId: props.intent.networkId, isFromNetwork: true }
      : props.intent?.kind === 'open'
        ? { kind: 'detail', id: props.intent.id }
        : { kind: 'list' },
  );

  if (!reference) return referenceFailure ? <Alert>{referenceFailure}</Alert> : <p aria-busy="true">Loading…</p>;

  switch (page.kind) {
    case 'claim':
    case 'edit':
      return (
        <ClaimPage
          reference={reference}
          existing={page.kind === 'edit' ? page.record : undefined}
          networkId={page.kind === 'claim' ? page.networkId : undefined}
          onSaved={(r, isNew) => setPage({ kind: 'detail', id: r.id, notice: isNew ? `${r.reference} saved as a draft. Submit it when it is ready for endorsement.` : `${r.reference} saved.` })}
          onCancel={() => {
            if (page.kind === 'edit') setPage({ kind: 'detail', id: page.record.id });
            else if (page.isFromNetwork && page.networkId) props.onOpenNetwork(page.networkId);
            else setPage({ kind: 'list' });
          }}
        />
      );
    case 'detail':
      return (
        <DisruptionDetail
          key={page.id}
          id={page.id}
          user={user}
          stateOwner={props.stateOwner}
          reference={reference}
          notice={page.notice}
          onBack={() => setPage({ kind: 'list' })}
          onEdit={(record) => setPage({ kind: 'edit', record })}
          onOpenNetwork={props.onOpenNetwork}
          onErased={(message) => setPage({ kind: 'list', notice: message })}
        />
      );
    case 'list':
      return (
        <DisruptionList
          user={user}
          stateOwner={props.stateOwner}
          reference={reference}
          onClaim={() => setPage({ kind: 'claim' })}
          onOpen={(id) => setPage({ kind: 'detail', id })}
          notice={page.notice}
        />
      );
  }
}

function DisruptionList(props: {
  user: SessionUser;
  stateOwner: string;
  reference: ReferenceLookup;
  onClaim: () => void;
  onOpen: (id: string) => void;
  /** What the last erasure took (a draft claim erased from its screen). */
  notice?: string;
}) {
  const { canKeep } = abilitiesOf(props.user);
  const views = viewsFor(props.user);
  const initial = remembered.view && views.includes(remembered.view) ? remembered.view : (views.find((v) => v === 'validation') ?? (canKeep ? 'mine' : 'all'));
  const [view, setView] = useState<DisruptionView>(initial);
  const [rows, setRows] = useState<DisruptionRow[] | null>(null);
  const [quickFilter, setQuickFilter] = useState(remembered.quickFilter);
  const [failure, setFailure] = useState<string | null>(null);
  const columns = useMemo(() => disruptionColumns(props.reference), [props.reference]);

  const load = useCallback(async (v: DisruptionView) => {
    setRows(null);
    try {
      setRows(await call('disruptions:list', { view: v }));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    remembered.view = view;
    void load(view);
  }, [load, view]);

  useEffect(() => {
    remembered.quickFilter = quickFilter;
  }, [quickFilter]);

  const count = rows ? `${rows.length} ${rows.length === 1 ? 'claim' : 'claims'}` : 'Loading…';
  const grid = (
    <>
      <div className="toolbar claims-toolbar">
        <div className="field quick-filter inline">
          <label htmlFor="disruptions-quick-filter">Find a claim</label>
          <input id="disruptions-quick-filter" type="search" value={quickFilter} onChange={(e) => setQuickFilter(e.target.value)} autoComplete="off" />
        </div>
        <span className="muted" role="status" aria-live="polite">
          {count}
        </span>
        {canKeep && (
          <button type="button" className="primary toolbar-end" onClick={props.onClaim}>
            Claim a disruption
          </button>
        )}
      </div>
      <DataGrid<DisruptionRow>
        // One grid per view: ag-grid reads its saved column state and its overlay text when it is
        // created, so a view change must create the grid afresh.
        key={view}
        gridId={`disruptions-${view}`}
        stateOwner={props.stateOwner}
        label={VIEW_LABELS[view]}
        emptyText={EMPTY_TEXT[view]}
        rows={rows}
        columns={columns}
        getRowId={(p) => p.data.id}
        quickFilterText={quickFilter}
        onRowActivated={(r) => props.onOpen(r.id)}
        getRowClass={(p) => (p.data?.status === 'rejected' ? 'row-ended' : undefined)}
      />
      <p className="muted grid-help">Enter or double-click opens a claim. Arrow keys move between cells.</p>
    </>
  );

  return (
    <>
      <ScreenHeading>Disruptions</ScreenHeading>
      <p className="muted">
        Claims move from draft to submitted, endorsed by the claimant’s supervisor, then validated, returned or rejected by an independent
        validator from another unit. Only validated disruptions count in returns.
      </p>
      {failure && <Alert>{failure}</Alert>}
      {props.notice && <Status>{props.notice}</Status>}
      {views.length > 1 ? (
        <Tabs label="Disruption views" tabs={views.map((v) => ({ id: v, label: VIEW_LABELS[v] }))} current={view} onChange={setView}>
          {grid}
        </Tabs>
      ) : (
        grid
      )}
    </>
  );
}

/** The claim form, once the networks to choose from are in. */
function ClaimPage(props: {
  reference: ReferenceLookup;
  existing?: DisruptionRecord;
  networkId?: string;
  onSaved: (r: DisruptionRecord, isNew: boolean) => void;
  onCancel: () => void;
}) {
  const [networks, setNetworks] = useState<MatrixRow[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    call('networks:list', {})
      .then((list) => setNetworks([...list].sort((a, b) => a.reference.localeCompare(b.reference))))
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, []);
  const back = (
    <button type="button" className="link back" onClick={props.onCancel}>
      ← Back
    </button>
  );
  if (failure || !networks || networks.length === 0) {
    return (
      <>
        {back}
        {failure ? (
          <Alert>{failure}</Alert>
        ) : !networks ? (
          <p aria-busy="true">Loading the networks…</p>
        ) : (
          <Status>There are no networks yet: a disruption is claimed against a network on the matrix.</Status>
        )}
      </>
    );
  }
  return <ClaimForm reference={props.reference} networks={networks} existing={props.existing} networkId={props.networkId} onSaved={props.onSaved} onCancel={props.onCancel} />;
}
