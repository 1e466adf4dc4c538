/** "Outcomes": the outcomes that are not zero, as a table; money as £1,234. */
import { FIREARM_TYPES } from '../../../../preload/contract/schemas/disruptions';
import { FIREARM_LABELS, grams, OUTCOME_GROUPS, outcomeText } from './labels';

export function OutcomesSection({ outcomes }: { outcomes: Record<string, unknown> }) {
  return (
    <section className="section" aria-labelledby="claim-outcomes-heading">
      <h2 id="claim-outcomes-heading">Outcomes</h2>
      <OutcomesTable outcomes={outcomes} />
    </section>
  );
}

function OutcomesTable({ outcomes }: { outcomes: Record<string, unknown> }) {
  const rows: { label: string; value: string }[] = [];
  for (const g of OUTCOME_GROUPS) {
    for (const f of g.fields) {
      const v = Number(outcomes[f.key] ?? 0);
      if (v) rows.push({ label: f.label.replace(' (£)', ''), value: outcomeText(v, f.kind) });
    }
  }
  const firearms = (outcomes.firearms ?? {}) as Record<string, number>;
  for (const t of FIREARM_TYPES) if (firearms[t]) rows.push({ label: FIREARM_LABELS[t], value: outcomeText(firearms[t], 'count') });
  const drugs = (outcomes.drugs ?? []) as { substance: string; drugClass: string; grams: number }[];
  for (const dr of drugs) rows.push({ label: `${dr.substance} (class ${dr.drugClass})`, value: grams(dr.grams) });
  if (rows.length === 0) return <p className="muted">No outcomes recorded.</p>;
  return (
    <table className="data-table outcomes-table" aria-label="Outcomes">
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">{r.label}</th>
            <td className="num">{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
