/**
 * The retention policy in force (policy:get): each period with its value, its maximum (or floor),
 * the reason for it and its source, the version and the day it applies from. Administrators may
 * shorten a period or raise a floor (policy:update); main refuses a lengthening beside its field,
 * and each change is a new version, audited, applying from the day it is made.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { POLICY_PERIOD_KEYS, periodText, type PolicyPeriodKey, type PolicyView } from '../../../../preload/contract/schemas/policy';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, Status, TextField } from '../../app/components';
import { formatUkDate } from '../../app/format';
import { useSubmit, type FieldErrors } from '../../app/forms';

export function RetentionPolicyForm({ isAdmin }: { isAdmin: boolean }) {
  const [view, setView] = useState<PolicyView | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [loadFailure, setLoadFailure] = useState<string | null>(null);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();

  function show(v: PolicyView) {
    setView(v);
    setValues(Object.fromEntries(POLICY_PERIOD_KEYS.map((k) => [k, String(v.policy.periods[k].value)])));
  }

  useEffect(() => {
    call('policy:get', {}).then(show, (e) => setLoadFailure(messageOf(e)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!view) return;
    setNotice(null);
    const changed: Partial<Record<PolicyPeriodKey, number>> = {};
    const fields: FieldErrors = {};
    for (const k of POLICY_PERIOD_KEYS) {
      const text = (values[k] ?? '').trim();
      if (!/^\d+$/.test(text)) fields[k] = 'Enter a whole number.';
      else if (Number(text) !== view.policy.periods[k].value) changed[k] = Number(text);
    }
    if (Object.keys(fields).length > 0) return setErrors(fields);
    if (Object.keys(changed).length === 0) return setFailure('Nothing was changed.');
    setErrors({});
    await run(
      async () => {
        show(await call('policy:update', { values: changed }));
        setNotice('Saved as a new policy version, applying from today.');
      },
      (err) => {
        // main names each field "values.<period>": shown beside that period.
        if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
          setErrors(Object.fromEntries(Object.entries(err.fields).map(([key, message]) => [key.replace(/^values\./, ''), message])));
        }
        setFailure(messageOf(err));
      },
    );
  }

  if (loadFailure) return <Alert>{loadFailure}</Alert>;
  if (!view) return null;
  const p = view.policy;
  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="retention-policy-heading">
      <h2 id="retention-policy-heading">Reviews and retention</h2>
      <p className="muted">
        Policy version {p.version}, applying from {formatUkDate(p.effectiveFrom)}. {p.source}
        {!isAdmin && ' Only administrators can shorten these periods.'}
      </p>
      {POLICY_PERIOD_KEYS.map((k) => {
        const period = p.periods[k];
        const bound = period.bound === 'at_most' ? `at most ${periodText(period.limit, period.unit)}` : `at least ${periodText(period.limit, period.unit)}`;
        return (
          <div key={k} className="policy-period">
            <TextField
              label={`${period.label} (${period.unit})`}
              inputMode="numeric"
              className="narrow"
              value={values[k] ?? ''}
              onChange={(e) => setValues({ ...values, [k]: e.target.value })}
              error={errors[k]}
              readOnly={!isAdmin}
              hint={`${period.reason} Source: ${period.source} Allowed: ${bound}.`}
            />
          </div>
        );
      })}
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      {isAdmin && (
        <div className="actions">
          <button type="submit" className="primary" disabled={isBusy}>
            Save policy
          </button>
        </div>
      )}
    </form>
  );
}
