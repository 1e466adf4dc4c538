/**
 * A form in a modal <dialog>: focus moves into it and is trapped there, Escape cancels (unless a
 * save is under way), and the submit button sits at the end in reading order. Errors belong
 * beside their fields; `failure` is for what no single field explains.
 */
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { Alert } from '../app/components';

export function FormDialog(props: {
  isOpen: boolean;
  title: string;
  submitLabel: string;
  busyLabel?: string;
  isBusy?: boolean;
  failure?: string | null;
  wide?: boolean;
  /** 'danger' for a submit that destroys something (an erasure): red, and worded as what it does. */
  submitTone?: 'primary' | 'danger';
  /** Submitting is not possible yet (what it acts on is still loading); Cancel still works. */
  isSubmitDisabled?: boolean;
  children: ReactNode;
  onSubmit: () => void;
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

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!props.isBusy && !props.isSubmitDisabled) props.onSubmit();
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`dialog form-dialog${props.wide ? ' wide' : ''}`}
      onCancel={(e) => {
        e.preventDefault();
        if (!props.isBusy) props.onCancel();
      }}
    >
      {props.isOpen && (
        <form onSubmit={submit} noValidate>
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
          {props.failure && <Alert>{props.failure}</Alert>}
          <div className="actions">
            <button type="button" onClick={props.onCancel} disabled={props.isBusy}>
              Cancel
            </button>
            <button type="submit" className={props.submitTone ?? 'primary'} disabled={props.isBusy || props.isSubmitDisabled}>
              {props.isBusy ? (props.busyLabel ?? 'Saving…') : props.submitLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
