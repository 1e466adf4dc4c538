/**
 * Small building blocks shared by the screens: labelled fields with their errors linked by
 * aria-describedby, the passphrase pair with its strength hint, alerts, a modal dialog, and the
 * protective marking banner.
 */
import { useEffect, useId, useRef, type ComponentProps, type ReactNode } from 'react';
import { usePassphraseCheck, type FieldErrors } from './forms';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const joined = ids.filter(Boolean).join(' ');
  return joined || undefined;
}

type TextFieldProps = Omit<ComponentProps<'input'>, 'id'> & { label: string; error?: string; hint?: ReactNode };

export function TextField({ label, error, hint, className, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : false, error ? `${id}-error` : false)}
        {...input}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

type SelectFieldProps = Omit<ComponentProps<'select'>, 'id'> & { label: string; error?: string; hint?: ReactNode };

export function SelectField({ label, error, hint, children, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : false, error ? `${id}-error` : false)}
        {...select}
      >
        {children}
      </select>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

const STRENGTH_CLASSES = ['very-weak', 'weak', 'fair', 'strong', 'very-strong'] as const;

/**
 * A new passphrase typed twice, with a live strength hint from main. Errors are keyed by the
 * names passed in (so they line up with the contract's field names).
 */
export function PassphrasePair(props: {
  label: string;
  value: string;
  confirm: string;
  onValue: (v: string) => void;
  onConfirm: (v: string) => void;
  errors: FieldErrors;
  field: string;
  confirmField: string;
  /** Names the passphrase should not contain (the user's own name). */
  context: string[];
}) {
  const check = usePassphraseCheck(props.value, props.context);
  const strengthClass = check ? STRENGTH_CLASSES[check.strength] : 'none';
  const hint = (
    <>
      12 to 128 characters. Several unrelated words work well; pasting from a password manager is fine.
      <div className={`strength strength-${strengthClass}`} aria-live="polite">
        <span className="strength-bar" aria-hidden="true">
          <span />
          <span />
          <span />
          <span />
          <span />
        </span>
        <span className="strength-text">{check ? `Strength: ${check.hint}` : 'Strength is shown as you type.'}</span>
        {check && check.problems.length > 0 && (
          <ul className="strength-problems">
            {check.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
  return (
    <>
      <TextField
        label={props.label}
        type="password"
        autoComplete="new-password"
        value={props.value}
        maxLength={128}
        onChange={(e) => props.onValue(e.target.value)}
        error={props.errors[props.field]}
        hint={hint}
      />
      <TextField
        label={`${props.label} again`}
        type="password"
        autoComplete="new-password"
        value={props.confirm}
        maxLength={128}
        onChange={(e) => props.onConfirm(e.target.value)}
        error={props.errors[props.confirmField]}
      />
    </>
  );
}

/** A message the person must notice: announced at once by screen readers. */
export function Alert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'warning' }) {
  return (
    <div role="alert" className={`alert alert-${tone}`}>
      {children}
    </div>
  );
}

/** A quiet confirmation ("Settings saved."), announced politely. */
export function Status({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="status">
      {children}
    </p>
  );
}

/** Move keyboard focus to an element when it first appears (screen headings, first fields). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/** A screen's heading, focused when the screen opens so keyboard and screen-reader users start there. */
export function ScreenHeading({ children }: { children: ReactNode }) {
  const ref = useFocusOnMount<HTMLHeadingElement>();
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A modal dialog on the native <dialog> element: focus is trapped and Escape cancels. */
export function ConfirmDialog(props: {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isBusy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.isOpen && !dialog.open) dialog.showModal();
    if (!props.isOpen && dialog.open) dialog.close();
  }, [props.isOpen]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(e) => {
        e.preventDefault();
        if (!props.isBusy) props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <div className="actions">
        <button type="button" onClick={props.onCancel} disabled={props.isBusy}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={props.onConfirm} disabled={props.isBusy}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** The protective marking, shown at the top and bottom of every screen that shows vault data. */
export function MarkingBanner({ marking, position }: { marking: string; position: 'top' | 'bottom' }) {
  return (
    <div className={`marking marking-${position}`} role="note">
      {marking}
    </div>
  );
}
