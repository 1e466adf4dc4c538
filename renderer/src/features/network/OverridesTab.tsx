/**
 * Band overrides: a keeper requests one with a band, a reason and an expiry; a supervisor other
 * than the requester approves or rejects it. While an approved override is in force the band in
 * use is the override's; the computed band is still shown on the Score tab.
 */
import { useState } from 'react';
import { BANDS, overrideDraft } from '../../../../preload/contract/schemas/matrix';
import { call, messageOf } from '../../app/api';
import { Alert, SelectField, TextField } from '../../app/components';
import { formatUkDateTime } from '../../app/format';
import { schemaErrors, useSubmit, type FieldErrors } from '../../app/forms';
import { formatDay, readDays } from '../../components/dates';
import { BAND_LABELS, OVERRIDE_STATUS_LABELS } from '../../components/labels';
import { TextAreaField } from '../../components/TextAreaField';
import type { CardContext, Override } from './card';

export function OverridesTab(ctx: CardContext) {
  const { card, abilities, me } = ctx;
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const x = card.explanation;

  async function decide(o: Override, decision: 'approved' | 'rejected') {
    setBusy(o.id);
    setFailure(null);
    try {
      await call('overrides:decide', { id: o.id, decision });
      ctx.notify(`Override to ${BAND_LABELS[o.band]} ${decision}.`);
      await ctx.reload();
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {x && (
        <p>
          <strong>Now:</strong> {x.override.status === 'in_force' ? `override in force: ${BAND_LABELS[x.override.band ?? 'below_threshold']} until ${formatDay(x.override.expiresOn)}.` : 'no override in force.'}{' '}
          Computed band {BAND_LABELS[x.parts.band]}.
        </p>
      )}
      {failure && <Alert>{failure}</Alert>}
      {card.overrides.length === 0 ? (
        <p className="muted">No override has been requested for this network.</p>
      ) : (
        <table className="data-table" aria-label="Band overrides">
          <thead>
            <tr>
              <th scope="col">Band</th>
              <th scope="col">Reason</th>
              <th scope="col">Requested</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              {abilities.canSupervise && <th scope="col">Decision</th>}
            </tr>
          </thead>
          <tbody>
            {card.overrides.map((o) => {
              const isMine = o.authorId === me.id;
              return (
                <tr key={o.id}>
                  <th scope="row">{BAND_LABELS[o.band]}</th>
                  <td>{o.reason}</td>
                  <td>
                    {formatUkDateTime(o.requestedAt)} {isMine ? '(by you)' : ''}
                  </td>
                  <td>{formatDay(o.expiresOn)}</td>
                  <td>
                    {OVERRIDE_STATUS_LABELS[o.status] ?? o.status}
                    {o.approvedAt ? ` ${formatUkDateTime(o.approvedAt)}` : ''}
                  </td>
                  {abilities.canSupervise && (
                    <td>
                      {o.status === 'requested' &&
                        (isMine ? (
                          <span className="muted">Another supervisor must decide your own request.</span>
                        ) : (
                          <span className="row-actions">
                            <button type="button" onClick={() => void decide(o, 'approved')} disabled={busy !== null}>
                              Approve
                            </button>
                            <button type="button" className="danger" onClick={() => void decide(o, 'rejected')} disabled={busy !== null}>
                              Reject
                            </button>
                          </span>
                        ))}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {abilities.canKeep && <RequestOverrideForm {...ctx} />}
    </>
  );
}

/** Main's one refusal that names no field (an expiry not in the future) belongs beside the expiry. */
const OVERRIDE_REFUSALS = { fallbackField: 'expiresOn' };

function RequestOverrideForm(ctx: CardContext) {
  const [band, setBand] = useState('');
  const [reason, setReason] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(OVERRIDE_REFUSALS);

  async function submit() {
    setFailure(null);
    const { days, errors: dayErrors } = readDays({ expiresOn }, ['expiresOn']);
    const parsed = overrideDraft.safeParse({ networkId: ctx.card.network.id, band, reason, expiresOn: days.expiresOn ?? '' });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (!band) next.band = 'Choose a band.';
    if (dayErrors.expiresOn) next.expiresOn = dayErrors.expiresOn;
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => {
      const o = await call('overrides:request', parsed.data);
      ctx.notify(`Override to ${BAND_LABELS[o.band]} requested. A supervisor other than you must approve it.`);
      setBand('');
      setReason('');
      setExpiresOn('');
      await ctx.reload();
    });
  }

  return (
    <form
      className="section inline-form"
      noValidate
      aria-labelledby="override-request-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="override-request-heading">Request a band override</h2>
      <div className="form-grid">
        <SelectField label="Override band" value={band} onChange={(e) => setBand(e.target.value)} error={errors.band}>
          <option value="">Choose a band…</option>
          {BANDS.map((b) => (
            <option key={b} value={b}>
              {BAND_LABELS[b]}
            </option>
          ))}
        </SelectField>
        <TextField label="Expires on" hint="dd/mm/yyyy, in the future" inputMode="numeric" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} error={errors.expiresOn} />
      </div>
      <TextAreaField label="Reason for the override" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} maxLength={1000} />
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Requesting…' : 'Request override'}
        </button>
      </div>
    </form>
  );
}
