/** The claim form's tactics: one checkbox each, under its 4P heading. */
import { useId } from 'react';
import { TACTICS } from '../../../../preload/contract/schemas/disruptions';
import { FOUR_P_LABELS, TACTICS_BY_GROUP } from './labels';

/** Tactics as checkboxes under their 4P heading; one error for the whole choice. */
export function TacticsField({ selected, onChange, error }: { selected: string[]; onChange: (next: string[]) => void; error?: string }) {
  const id = useId();
  const toggle = (t: string, isChecked: boolean) => onChange(isChecked ? [...selected.filter((x) => x !== t), t] : selected.filter((x) => x !== t));
  return (
    <fieldset
      className={`field tactics${error ? ' field-invalid' : ''}`}
      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      aria-invalid={error ? true : undefined}
      tabIndex={error ? -1 : undefined}
    >
      <legend>Tactics used</legend>
      <div id={`${id}-hint`} className="field-hint">
        Choose every tactic the activity used; they are grouped for the 4Ps.
      </div>
      <div className="tactic-groups">
        {TACTICS_BY_GROUP.map(({ group, tactics }) => (
          <div className="tactic-group" key={group} role="group" aria-labelledby={`${id}-group-${group}`}>
            <h3 id={`${id}-group-${group}`}>{FOUR_P_LABELS[group]}</h3>
            {tactics.length === 0 ? (
              <p className="muted">No tactics in this group.</p>
            ) : (
              tactics.map((t) => (
                <div className="checkbox-item" key={t}>
                  <input id={`${id}-tactic-${t}`} type="checkbox" checked={selected.includes(t)} onChange={(e) => toggle(t, e.target.checked)} />
                  <label htmlFor={`${id}-tactic-${t}`}>{TACTICS[t].label}</label>
                </div>
              ))
            )}
          </div>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
