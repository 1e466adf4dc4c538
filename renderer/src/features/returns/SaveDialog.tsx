/**
 * Save a previewed return to a new file, with a purpose and a recipient: main writes the file,
 * the 'disclose' audit entry and the export register row together, or none of them.
 */
import { useEffect, useState } from 'react';
import { CORPORATE_FORMATS, exportInput, MEETING_PACK_FORMATS, type ExportResult, type ReturnDocument, type ReturnFormat } from '../../../../preload/contract/schemas/returns';
import { call } from '../../app/api';
import { TextField } from '../../app/components';
import { schemaErrors, useSubmit } from '../../app/forms';
import { formatDay, todayIso } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { RadioGroup } from '../disruptions/RadioGroup';
import type { ReturnRequest } from './ReturnRequestForm';

const FORMAT_LABELS: Record<ReturnFormat, string> = { pdf: 'PDF (for print)', xlsx: 'XLSX spreadsheet', csv: 'CSV', json: 'JSON' };

/** The folder part of a path, whichever separator the workstation uses. */
export function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i + 1) : '';
}

export function SaveDialog(props: { request: ReturnRequest; folder: string; document: ReturnDocument; onDone: (result: ExportResult | null) => void | Promise<void> }) {
  const { request } = props;
  const formats: readonly ReturnFormat[] = request.kind === 'corporate' ? CORPORATE_FORMATS : MEETING_PACK_FORMATS;
  const [format, setFormat] = useState<ReturnFormat>(formats[0]!);
  const baseName = request.kind === 'corporate' ? `corporate-return-${(request.period ?? '').replace(/[/.]+/g, '-')}` : `meeting-pack-${request.asOf ?? todayIso()}`;
  const [path, setPath] = useState(`${props.folder}${baseName}.${formats[0]}`);
  const [purpose, setPurpose] = useState('');
  const [recipient, setRecipient] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);

  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - startedAt) / 1000)), 500);
    return () => clearInterval(timer);
  }, [startedAt]);

  function changeFormat(next: ReturnFormat) {
    // Keep the file name in step with the format while it still ends in the old extension.
    setPath((p) => (p.toLowerCase().endsWith(`.${format}`) ? `${p.slice(0, -format.length)}${next}` : p));
    setFormat(next);
    setErrors({});
  }

  async function submit() {
    setFailure(null);
    const parsed = exportInput.safeParse({
      kind: request.kind,
      format,
      ...(request.kind === 'corporate' ? { period: request.period } : request.asOf && request.asOf !== todayIso() ? { asOf: request.asOf } : {}),
      path,
      rules: request.rules,
      purpose,
      recipient,
    });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    setStartedAt(Date.now());
    setElapsed(0);
    await run(
      async () => props.onDone(await call('returns:export', parsed.data)),
      () => setStartedAt(null),
    );
  }

  return (
    <FormDialog
      isOpen
      title={`Save the ${request.kind === 'corporate' ? 'corporate return' : 'meeting pack'}`}
      submitLabel="Save"
      busyLabel="Saving…"
      isBusy={isBusy}
      failure={failure}
      wide
      onSubmit={() => void submit()}
      onCancel={() => void props.onDone(null)}
    >
      <p>
        {props.document.header.title}
        {request.kind === 'corporate' ? `, ${props.document.header.periodLabel ?? request.period}` : `, as of ${formatDay(props.document.header.asOf)}`}, under the{' '}
        {request.rules} disclosure rules. The file is a numbered copy marked {props.document.header.marking}.
      </p>
      <RadioGroup legend="Format" name="export-format" value={format} options={formats.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))} onChange={(v) => changeFormat(v as ReturnFormat)} error={errors.format} />
      <TextField label="Save to" hint="The full path of a new file; an existing file is never overwritten." className="mono" value={path} onChange={(e) => setPath(e.target.value)} error={errors.path} autoComplete="off" />
      <TextField label="Purpose" hint="Why it is disclosed, e.g. “Monthly performance return”." value={purpose} onChange={(e) => setPurpose(e.target.value)} error={errors.purpose} autoComplete="off" maxLength={500} />
      <TextField label="Recipient" hint="Who receives it, e.g. “Performance Unit, SCD”." value={recipient} onChange={(e) => setRecipient(e.target.value)} error={errors.recipient} autoComplete="off" maxLength={500} />
      {isBusy && (
        <div className="progress" role="status" aria-live="polite">
          <progress aria-label="Saving the file" />
          <p>
            Writing the {format.toUpperCase()} and recording the disclosure…{elapsed > 0 ? ` ${elapsed} s` : ''}
          </p>
        </div>
      )}
    </FormDialog>
  );
}
