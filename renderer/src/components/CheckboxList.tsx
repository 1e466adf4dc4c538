/**
 * Several choices from a list, as a group of checkboxes (keyboard and screen-reader friendly,
 * unlike a <select multiple>). The error sits under the legend and is linked to the group.
 */
import { useId, type ReactNode } from 'react';

export interface CheckboxOption {
  value: string;
  label: ReactNode;
  /** Extra words read after the label (grades, dates). */
  detail?: ReactNode;
}

export function CheckboxList(props: {
  legend: string;
  hint?: ReactNode;
  options: CheckboxOption[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
  error?: string;
  emptyText?: string;
  /** Long lists (boroughs) scroll inside a box. */
  isScrolling?: boolean;
  isInline?: boolean;
}) {
  const id = useId();
  const toggle = (value: string, isChecked: boolean) =>
    props.onChange(isChecked ? [...props.selected.filter((v) => v !== value), value] : props.selected.filter((v) => v !== value));
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={`field checkbox-list${props.error ? ' field-invalid' : ''}${props.isInline ? ' inline' : ''}`}
      aria-describedby={described}
      aria-invalid={props.error ? true : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <div id={`${id}-hint`} className="field-hint">
          {props.hint}
        </div>
      )}
      {props.options.length === 0 ? (
        <p className="muted">{props.emptyText ?? 'Nothing to choose from yet.'}</p>
      ) : (
        <div className={props.isScrolling ? 'checkbox-scroll' : 'checkbox-items'}>
          {props.options.map((o) => (
            <div className="checkbox-item" key={o.value}>
              <input
                id={`${id}-${o.value}`}
                type="checkbox"
                checked={props.selected.includes(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <label htmlFor={`${id}-${o.value}`}>
                {o.label}
                {o.detail && <span className="checkbox-detail"> {o.detail}</span>}
              </label>
            </div>
          ))}
        </div>
      )}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
