/** A labelled multi-line field, with its hint and error linked for screen readers (as TextField). */
import { useId, type ComponentProps, type ReactNode } from 'react';

type Props = Omit<ComponentProps<'textarea'>, 'id'> & { label: string; error?: string; hint?: ReactNode };

export function TextAreaField({ label, error, hint, ...textarea }: Props) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      <textarea id={id} rows={3} aria-invalid={error ? true : undefined} aria-describedby={described} {...textarea} />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
