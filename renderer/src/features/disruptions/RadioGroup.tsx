/**
 * One choice from a few, as radio buttons in a fieldset (the legend names the group), each with
 * words explaining it; the hint and error are linked to the group for screen readers, as
 * CheckboxList does for several choices.
 */
import { useId, type ReactNode } from 'react';

export function RadioGroup(props: {
  legend: string;
  name: string;
  value: string;
  options: { value: string; label: string; detail?: ReactNode }[];
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={`field radio-group${props.error ? ' field-invalid' : ''}`}
      aria-describedby={described}
      aria-invalid={props.error ? true : undefined}
      tabIndex={props.error ? -1 : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <div id={`${id}-hint`} className="field-hint">
          {props.hint}
        </div>
      )}
      <div className="checkbox-items">
        {props.options.map((o) => (
          <div className="checkbox-item" key={o.value}>
            <input id={`${id}-${o.value}`} type="radio" name={`${props.name}-${id}`} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
            <label htmlFor={`${id}-${o.value}`}>
              {o.label}
              {o.detail && <span className="checkbox-detail"> ({o.detail})</span>}
            </label>
          </div>
        ))}
      </div>
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
