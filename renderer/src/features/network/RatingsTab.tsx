/**
 * The ten analyst ratings: five assessed-harm ratings 0–4 and five capability ratings 0–3, each
 * with the intelligence that supports it. An assessed rating of 2 or more needs an item graded
 * source 1–2 with intelligence A–C; without one main counts it as 1 and flags it, which the
 * "Counted" column shows after saving. Only changed ratings are sent, one call each.
 */
import { useState } from 'react';
import { ASSESSED_DIMENSIONS, CAPABILITY_DIMENSIONS, ratingDraft } from '../../../../preload/contract/schemas/matrix';
import { call, messageOf } from '../../app/api';
import { Alert, SelectField } from '../../app/components';
import { CheckboxList } from '../../components/CheckboxList';
import { envelopeErrors, schemaErrors } from '../../app/forms';
import { ASSESSED_LABELS, ASSESSED_SCALE, CAPABILITY_LABELS, CAPABILITY_SCALE } from '../../components/labels';
import { intelligenceOptions, type CardContext } from './card';

type Kind = 'assessed' | 'capability';
interface Entry {
  kind: Kind;
  dimension: string;
  label: string;
  value: number;
  intelIds: string[];
}

const key = (kind: Kind, dimension: string) => `${kind}:${dimension}`;

function initialEntries(ctx: CardContext): Map<string, Entry> {
  const stored = new Map(ctx.card.ratings.map((r) => [key(r.kind as Kind, r.dimension), r]));
  const entries = new Map<string, Entry>();
  for (const d of ASSESSED_DIMENSIONS) {
    const r = stored.get(key('assessed', d));
    entries.set(key('assessed', d), { kind: 'assessed', dimension: d, label: ASSESSED_LABELS[d], value: r?.value ?? 0, intelIds: r?.intelIds ?? [] });
  }
  for (const d of CAPABILITY_DIMENSIONS) {
    const r = stored.get(key('capability', d));
    entries.set(key('capability', d), { kind: 'capability', dimension: d, label: CAPABILITY_LABELS[d], value: r?.value ?? 0, intelIds: r?.intelIds ?? [] });
  }
  return entries;
}

const sameIds = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export function RatingsTab(ctx: CardContext) {
  const [saved, setSaved] = useState(() => initialEntries(ctx));
  const [entries, setEntries] = useState(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const x = ctx.card.explanation;
  const counted = new Map(x?.assessed.map((a) => [a.dimension as string, a]) ?? []);
  const options = intelligenceOptions(ctx.card.intelligence);
  const canEdit = ctx.abilities.canKeep;

  const update = (k: string, patch: Partial<Entry>) => setEntries((prev) => new Map(prev).set(k, { ...prev.get(k)!, ...patch }));
  const changed = [...entries.entries()].filter(([k, e]) => {
    const before = saved.get(k)!;
    return before.value !== e.value || !sameIds(before.intelIds, e.intelIds);
  });

  async function save() {
    setFailure(null);
    const drafts = changed.map(([k, e]) => [k, ratingDraft.safeParse({ networkId: ctx.card.network.id, kind: e.kind, dimension: e.dimension, value: e.value, intelIds: e.intelIds })] as const);
    const next: Record<string, string> = {};
    for (const [k, parsed] of drafts) if (!parsed.success) next[k] = Object.values(schemaErrors(parsed.error))[0] ?? 'Check this rating.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    let done = 0;
    try {
      for (const [k, parsed] of drafts) {
        if (!parsed.success) continue;
        try {
          await call('ratings:set', parsed.data);
          done++;
          setSaved((prev) => new Map(prev).set(k, entries.get(k)!));
        } catch (e) {
          const fields = envelopeErrors(e);
          setErrors((prev) => ({ ...prev, [k]: Object.values(fields)[0] ?? messageOf(e) }));
          throw e;
        }
      }
      ctx.notify(`${done} ${done === 1 ? 'rating' : 'ratings'} saved; the network has been rescored.`);
    } catch (e) {
      setFailure(`${done} of ${drafts.length} changes were saved before this: ${messageOf(e)}`);
    } finally {
      setBusy(false);
      await ctx.reload();
    }
  }

  const row = (k: string, e: Entry) => {
    const scale = e.kind === 'assessed' ? ASSESSED_SCALE : CAPABILITY_SCALE;
    const c = counted.get(e.dimension);
    return (
      <div className="rating-row" key={k}>
        <SelectField label={e.label} value={String(e.value)} onChange={(ev) => update(k, { value: Number(ev.target.value) })} error={errors[k]} disabled={!canEdit}>
          {scale.map((text, v) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </SelectField>
        {e.kind === 'assessed' && c && (
          <p className="rating-counted">
            Counted now: {c.countedValue}
            {c.isFlaggedUnsupported && <span className="marker marker-unsupported">Unsupported</span>}
          </p>
        )}
        <CheckboxList
          legend={`Supporting intelligence: ${e.label}`}
          options={options}
          selected={e.intelIds}
          onChange={(ids) => canEdit && update(k, { intelIds: ids })}
          isInline={options.length <= 8}
          isScrolling={options.length > 8}
          emptyText="No intelligence held against this network."
        />
      </div>
    );
  };

  return (
    <form
      className="ratings"
      noValidate
      aria-label="Ratings"
      onSubmit={(ev) => {
        ev.preventDefault();
        void save();
      }}
    >
      <section aria-labelledby="assessed-heading">
        <h2 id="assessed-heading">Assessed harm (0–4 each; 1.25 points per point)</h2>
        <p className="muted">A rating of 2 or more needs an item graded source 1 or 2 with intelligence A to C, or it counts as 1.</p>
        {[...entries.entries()].filter(([, e]) => e.kind === 'assessed').map(([k, e]) => row(k, e))}
      </section>
      <section aria-labelledby="capability-heading">
        <h2 id="capability-heading">Capability (0–3 each; 1 point per point)</h2>
        {[...entries.entries()].filter(([, e]) => e.kind === 'capability').map(([k, e]) => row(k, e))}
      </section>
      {failure && <Alert>{failure}</Alert>}
      {canEdit && (
        <div className="actions sticky-actions">
          <span className="muted">{changed.length ? `${changed.length} unsaved ${changed.length === 1 ? 'change' : 'changes'}` : 'No unsaved changes'}</span>
          <button type="submit" className="primary" disabled={isBusy || changed.length === 0}>
            {isBusy ? 'Saving…' : 'Save ratings'}
          </button>
        </div>
      )}
    </form>
  );
}
