/**
 * Returns (docs/specification.md, "Returns and exports"): pick the corporate return for a period or the
 * prioritisation meeting pack as of a day, and the disclosure rules; preview it as tables and
 * charts exactly as main publishes it (withheld figures arrive as "<5" and stay so); then save it
 * to a file with a purpose and a recipient, which main writes to the audit log as a disclosure
 * and to the export register below. Nothing here counts or suppresses anything: main does.
 *
 * The screen keeps what outlives a change of tab (the choices, the preview, the register); the
 * request form, the preview, the save dialog and the register grid each have their own file.
 */
import '../../components/matrix.css';
import '../disruptions/disruptions.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionUser } from '../../../../preload/contract';
import { mayExport } from '../../../../preload/contract/permissions';
import type { ExportRegisterRow, ExportResult, ReturnDocument } from '../../../../preload/contract/schemas/returns';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading } from '../../app/components';
import { useSubmit } from '../../app/forms';
import { todayIso } from '../../components/dates';
import { Tabs } from '../../components/Tabs';
import { ExportRegister } from './ExportRegister';
import { ReturnPreview } from './ReturnPreview';
import { ReturnRequestForm, useReturnChoices, type ReturnRequest } from './ReturnRequestForm';
import { folderOf, SaveDialog } from './SaveDialog';

export function ReturnsScreen({ user, stateOwner, exportFolderHint }: { user: SessionUser; stateOwner: string; exportFolderHint: string }) {
  const today = todayIso();
  const choices = useReturnChoices(today);
  const { isBusy: isPreviewing, failure, setFailure, errors, setErrors, run } = useSubmit();
  const [preview, setPreview] = useState<{ request: ReturnRequest; document: ReturnDocument } | null>(null);
  const [isSaving, setSaving] = useState(false);
  const [saved, setSaved] = useState<ExportResult | null>(null);
  const [register, setRegister] = useState<ExportRegisterRow[] | null>(null);
  const [registerFind, setRegisterFind] = useState('');
  const [tab, setTab] = useState<'prepare' | 'register'>('prepare');
  const previewRef = useRef<HTMLElement>(null);

  const loadRegister = useCallback(async () => {
    try {
      setRegister(await call('exports:list', {}));
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, [setFailure]);

  useEffect(() => {
    void loadRegister();
  }, [loadRegister]);

  async function showPreview(request: ReturnRequest | null) {
    setFailure(null);
    setSaved(null);
    if (!request) return;
    const document = await run(() =>
      request.kind === 'corporate'
        ? call('returns:preview', { kind: 'corporate', period: request.period!, rules: request.rules })
        : call('returns:preview', { kind: 'meeting_pack', rules: request.rules, ...(request.asOf && request.asOf !== today ? { asOf: request.asOf } : {}) }),
    );
    if (!document) return;
    setPreview({ request, document });
    // Take the reader (and the keyboard) to what they asked for.
    requestAnimationFrame(() => previewRef.current?.focus());
  }

  return (
    <div className="returns-layout">
      <ScreenHeading>Returns</ScreenHeading>
      <p className="muted">
        Aggregated returns only: no person appears in any of them. Every figure passes disclosure control in the vault before it is shown or
        saved, and every saved file is recorded as a disclosure with its purpose and recipient.
      </p>
      {failure && <Alert>{failure}</Alert>}

      <Tabs
        label="Returns"
        tabs={[
          { id: 'prepare', label: 'Prepare a return' },
          { id: 'register', label: register ? `Export register (${register.length})` : 'Export register' },
        ]}
        current={tab}
        onChange={setTab}
      >
        {tab === 'prepare' && (
          <>
            <ReturnRequestForm choices={choices} today={today} errors={errors} setErrors={setErrors} isPreviewing={isPreviewing} onSubmit={(r) => void showPreview(r)} />
            {preview && (
              <ReturnPreview
                document={preview.document}
                canSave={mayExport(user.role, preview.request.kind)}
                saved={saved}
                onSave={() => setSaving(true)}
                focusRef={previewRef}
              />
            )}
          </>
        )}
        {tab === 'register' && <ExportRegister role={user.role} stateOwner={stateOwner} rows={register} find={registerFind} onFind={setRegisterFind} />}
      </Tabs>

      {isSaving && preview && (
        <SaveDialog
          request={preview.request}
          folder={folderOf(exportFolderHint)}
          document={preview.document}
          onDone={async (result) => {
            setSaving(false);
            if (result) {
              setSaved(result);
              await loadRegister();
            }
          }}
        />
      )}
    </div>
  );
}
