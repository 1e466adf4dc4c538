/**
 * Write an audit anchor: the log's head (entry number and hash) in a new file, to keep where no
 * user of the vault can reach it (the meeting's papers, a supervisor's own drive). Main writes the
 * file and its audit entry together, or neither.
 */
import { useState } from 'react';
import type { Output } from '../../../../preload/contract';
import { anchorPath } from '../../../../preload/contract';
import { call } from '../../app/api';
import { TextField } from '../../app/components';
import { schemaErrors, useSubmit } from '../../app/forms';
import { todayIso } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { folderOf } from '../returns/SaveDialog';

export type AnchorWritten = Output<'audit:anchor'>;

export function AnchorDialog(props: { folderHint: string; onDone: (result: AnchorWritten | null) => void }) {
  const [path, setPath] = useState(`${folderOf(props.folderHint)}audit-anchor-${todayIso()}.json`);
  const { isBusy, failure, errors, setErrors, run } = useSubmit({ fallbackField: 'path' });

  async function submit() {
    const parsed = anchorPath.safeParse(path);
    if (!parsed.success) {
      setErrors({ path: schemaErrors(parsed.error)._ ?? parsed.error.issues[0]!.message });
      return;
    }
    setErrors({});
    await run(async () => props.onDone(await call('audit:anchor', { path: parsed.data })));
  }

  return (
    <FormDialog isOpen title="Write audit anchor" submitLabel="Write" busyLabel="Writing…" isBusy={isBusy} failure={failure} wide onSubmit={() => void submit()} onCancel={() => props.onDone(null)}>
      <p>
        The anchor records the audit log’s last entry and its hash. Keep it where no user of this vault can change it; checked later, it shows whether
        entries have since been removed or the vault replaced with an older copy. Writing it is recorded in the audit log.
      </p>
      <TextField label="Save to" hint="The full path of a new .json file; an existing file is never overwritten." className="mono" value={path} onChange={(e) => setPath(e.target.value)} error={errors.path} autoComplete="off" />
    </FormDialog>
  );
}
