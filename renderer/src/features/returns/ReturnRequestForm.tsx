/**
 * What to produce: the corporate return for a period or the meeting pack as of a day, and the
 * disclosure rules. The choices are kept by the screen (useReturnChoices), so they are still there
 * after a look at the export register; the form only shows them and reads them into a request.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { periodText, RETURN_KIND_LABELS, type RULE_NAMES, type ReturnKind } from '../../../../preload/contract/schemas/returns';
import { SelectField, TextField } from '../../app/components';
import type { FieldErrors } from '../../app/forms';
import { readDays, todayUk } from '../../components/dates';
import { RadioGroup } from '../disruptions/RadioGroup';
import {
  customId,
  financialYearName,
  financialYearOf,
  PERIOD_KIND_LABELS,
  QUARTER_LABELS,
  quarterId,
  quarterOf,
  recentFinancialYears,
  recentMonths,
  type PeriodKind,
} from './period';

export type Rules = (typeof RULE_NAMES)[number];

export interface ReturnRequest {
  kind: ReturnKind;
  rules: Rules;
  /** Corporate return: the period id. */
  period?: string;
  /** Meeting pack: the as-of day; today when absent. */
  asOf?: string;
}

const RULE_OPTIONS: { value: Rules; label: string; detail: string }[] = [
  { value: 'internal', label: 'Internal', detail: 'counts of 1 to 4 shown as “<5”, with secondary suppression; no percentage on fewer than 10' },
  { value: 'public', label: 'Public', detail: 'counts under 10 withheld, the rest rounded to the nearest 5' },
];

/** The form's choices, as typed or picked. */
export function useReturnChoices(today: string) {
  const [kind, setKind] = useState<ReturnKind>('corporate');
  const [rules, setRules] = useState<Rules>('internal');
  const [periodKind, setPeriodKind] = useState<PeriodKind>('financial_year');
  const [month, setMonth] = useState(today.slice(0, 7));
  const [quarterYear, setQuarterYear] = useState(String(financialYearOf(today)));
  const [quarter, setQuarter] = useState(String(quarterOf(today)));
  const [financialYear, setFinancialYear] = useState(String(financialYearOf(today)));
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  const [asOfText, setAsOfText] = useState(todayUk());
  return {
    kind,
    setKind,
    rules,
    setRules,
    periodKind,
    setPeriodKind,
    month,
    setMonth,
    quarterYear,
    setQuarterYear,
    quarter,
    setQuarter,
    financialYear,
    setFinancialYear,
    customFrom,
    setCustomFrom,
    customTo,
    setCustomTo,
    asOfText,
    setAsOfText,
  };
}

export type ReturnChoices = ReturnType<typeof useReturnChoices>;

/** The request as chosen, or the field errors that stop it (the request is null whenever there are any). */
export function readRequest(c: ReturnChoices, today: string): { request: ReturnRequest | null; errors: FieldErrors } {
  const next: FieldErrors = {};
  let request: ReturnRequest | null = null;
  const { kind, rules } = c;
  if (kind === 'corporate') {
    let period = '';
    if (c.periodKind === 'month') period = c.month;
    else if (c.periodKind === 'quarter') period = quarterId(Number(c.quarterYear), Number(c.quarter));
    else if (c.periodKind === 'financial_year') period = financialYearName(Number(c.financialYear));
    else {
      const { days, errors: dayErrors } = readDays({ customFrom: c.customFrom, customTo: c.customTo }, ['customFrom', 'customTo']);
      Object.assign(next, dayErrors);
      if (days.customFrom && days.customTo) {
        if (days.customTo < days.customFrom) next.customTo = 'The end date is before the start date.';
        else period = customId(days.customFrom, days.customTo);
      }
    }
    if (period) {
      const checked = periodText.safeParse(period);
      if (!checked.success) next[c.periodKind === 'custom' ? 'customTo' : 'period'] = checked.error.issues[0]?.message ?? 'That period is not valid.';
      else request = { kind, rules, period: checked.data };
    }
  } else {
    const { days, errors: dayErrors } = readDays({ asOf: c.asOfText }, ['asOf']);
    Object.assign(next, dayErrors);
    if (days.asOf && days.asOf > today) next.asOf = 'The meeting pack cannot be as of a future date.';
    else if (days.asOf) request = { kind, rules, asOf: days.asOf };
  }
  return { request: Object.keys(next).length === 0 ? request : null, errors: next };
}

export function ReturnRequestForm(props: {
  choices: ReturnChoices;
  today: string;
  errors: FieldErrors;
  setErrors: (errors: FieldErrors) => void;
  isPreviewing: boolean;
  /** Told the request, or null when the form shows why there is none. */
  onSubmit: (request: ReturnRequest | null) => void;
}) {
  const { choices: c, today, errors, setErrors, isPreviewing } = props;
  const months = useMemo(() => recentMonths(today), [today]);
  const years = useMemo(() => recentFinancialYears(today), [today]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const { request, errors: next } = readRequest(c, today);
    setErrors(next);
    props.onSubmit(request);
  }

  return (
    <form className="return-request" onSubmit={submit} noValidate aria-labelledby="return-request-heading">
      <h2 id="return-request-heading">What to produce</h2>
      <RadioGroup
        legend="Return"
        name="return-kind"
        value={c.kind}
        options={[
          { value: 'corporate', label: RETURN_KIND_LABELS.corporate, detail: 'networks disrupted, outcomes and the matrix population for a period' },
          { value: 'meeting_pack', label: RETURN_KIND_LABELS.meeting_pack, detail: 'Band A and B, movement since the last meeting, claims and reviews due' },
        ]}
        onChange={(v) => {
          c.setKind(v as ReturnKind);
          setErrors({});
        }}
      />
      {c.kind === 'corporate' ? (
        <>
          <RadioGroup
            legend="Period"
            name="period-kind"
            value={c.periodKind}
            options={(Object.keys(PERIOD_KIND_LABELS) as PeriodKind[]).map((k) => ({ value: k, label: PERIOD_KIND_LABELS[k] }))}
            onChange={(v) => {
              c.setPeriodKind(v as PeriodKind);
              setErrors({});
            }}
          />
          <div className="form-grid">
            {c.periodKind === 'month' && (
              <SelectField label="Month" value={c.month} onChange={(e) => c.setMonth(e.target.value)} error={errors.period}>
                {months.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </SelectField>
            )}
            {c.periodKind === 'quarter' && (
              <>
                <SelectField label="Financial year" value={c.quarterYear} onChange={(e) => c.setQuarterYear(e.target.value)}>
                  {years.map((y) => (
                    <option key={y.start} value={y.start}>
                      {y.id}
                    </option>
                  ))}
                </SelectField>
                <SelectField label="Quarter" value={c.quarter} onChange={(e) => c.setQuarter(e.target.value)} error={errors.period}>
                  {([1, 2, 3, 4] as const).map((q) => (
                    <option key={q} value={q}>
                      {QUARTER_LABELS[q]}
                    </option>
                  ))}
                </SelectField>
              </>
            )}
            {c.periodKind === 'financial_year' && (
              <SelectField label="Financial year" hint="1 April to 31 March" value={c.financialYear} onChange={(e) => c.setFinancialYear(e.target.value)} error={errors.period}>
                {years.map((y) => (
                  <option key={y.start} value={y.start}>
                    {y.id}
                  </option>
                ))}
              </SelectField>
            )}
            {c.periodKind === 'custom' && (
              <>
                <TextField label="From" hint="dd/mm/yyyy" inputMode="numeric" value={c.customFrom} onChange={(e) => c.setCustomFrom(e.target.value)} error={errors.customFrom} autoComplete="off" />
                <TextField label="To" hint="dd/mm/yyyy, inclusive" inputMode="numeric" value={c.customTo} onChange={(e) => c.setCustomTo(e.target.value)} error={errors.customTo} autoComplete="off" />
              </>
            )}
          </div>
        </>
      ) : (
        <div className="form-grid">
          <TextField label="As of" hint="dd/mm/yyyy; today for the coming meeting" inputMode="numeric" value={c.asOfText} onChange={(e) => c.setAsOfText(e.target.value)} error={errors.asOf} autoComplete="off" />
        </div>
      )}
      <RadioGroup legend="Disclosure rules" name="rules" value={c.rules} options={RULE_OPTIONS} onChange={(v) => c.setRules(v as Rules)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={isPreviewing}>
          {isPreviewing ? 'Preparing the preview…' : 'Preview'}
        </button>
      </div>
    </form>
  );
}
