/**
 * Administrators only: everyone who has or had access, adding a user with a role and a first
 * passphrase, removing a user (optionally rotating the data key at once), and the key slots as
 * the vault vouches for them, with a new recovery code.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { addUserInput, ROLE_LABELS, ROLES, unitName, type Role, type SessionUser } from '../../../../preload/contract';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, ConfirmDialog, PassphrasePair, ScreenHeading, SelectField, Status, TextField } from '../../app/components';
import { schemaErrors, useSubmit } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { FormDialog } from '../../components/FormDialog';
import { keySlotColumns, userColumns, type KeySlotRow, type UserRow } from './users.columns';

/** Refusals that belong beside a field of the add-user form. */
const ADD_USER_FIELDS = { codeToField: { weak_passphrase: 'passphrase', conflict: 'name' } };

export function UsersScreen({ me, stateOwner }: { me: SessionUser; stateOwner: string }) {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [slots, setSlots] = useState<KeySlotRow[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<UserRow | null>(null);
  const [isConfirming, setConfirming] = useState(false);
  const [isRotating, setRotating] = useState(true);
  const [isSettingUnit, setSettingUnit] = useState(false);
  const { isBusy, failure, setFailure, run } = useSubmit();

  const load = useCallback(async () => {
    try {
      const [u, k] = await Promise.all([call('users:list'), call('users:key-slots')]);
      setUsers(u);
      setSlots(k);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const canRemove = selected !== null && selected.removedAt === null && selected.id !== me.id;

  async function remove() {
    if (!selected) return;
    await run(
      async () => {
        const r = await call('users:remove', { userId: selected.id, rotateKey: isRotating });
        setNotice(`${selected.name} was removed${r.isKeyRotated ? ' and the data key was rotated' : ''}.`);
        setSelected(null);
        await load();
      },
      (e) => setFailure(messageOf(e)),
    );
    setConfirming(false);
  }

  return (
    <>
      <ScreenHeading>Users</ScreenHeading>
      <p className="muted">Everyone who has or had access to this vault. Removed users stay listed so the audit log still makes sense.</p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <div className="toolbar">
        <button type="button" className="danger" disabled={!canRemove} onClick={() => setConfirming(true)}>
          Remove selected user…
        </button>
        <button type="button" disabled={selected === null || selected.removedAt !== null} onClick={() => setSettingUnit(true)}>
          Set unit…
        </button>
        <span className="muted">{selected ? `Selected: ${selected.name}` : 'Select a user in the list to set their unit or remove them.'}</span>
      </div>
      <div className="split">
        <DataGrid<UserRow>
          gridId="users"
          stateOwner={stateOwner}
          label="Users"
          emptyText="No users."
          rows={users}
          columns={userColumns}
          getRowId={(p) => p.data.id}
          isSelectable
          onSelected={setSelected}
        />
        <AddUserForm
          onAdded={async (u) => {
            setNotice(`${u.name} was added as ${ROLE_LABELS[u.role].toLowerCase()}.`);
            await load();
          }}
        />
      </div>
      <KeySlots slots={slots} stateOwner={stateOwner} onChanged={load} />
      {isSettingUnit && selected && (
        <SetUnitForm
          user={selected}
          onDone={async (u) => {
            setSettingUnit(false);
            if (u) {
              setNotice(u.unit ? `${u.name}’s unit is now ${u.unit}.` : `${u.name}’s unit was cleared.`);
              setSelected(u);
              await load();
            }
          }}
        />
      )}
      <ConfirmDialog
        isOpen={isConfirming}
        title={`Remove ${selected?.name ?? 'this user'}?`}
        confirmLabel="Remove user"
        isBusy={isBusy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>Their key slot is deleted at once, so their passphrase will no longer open the vault. This is recorded in the audit log.</p>
        <div className="checkbox">
          <input id="rotate-key" type="checkbox" checked={isRotating} onChange={(e) => setRotating(e.target.checked)} />
          <label htmlFor="rotate-key">Also rotate the data key</label>
        </div>
        <p className="field-hint">
          Recommended. A copy of the old key file they may have kept will then open nothing written from now on. It takes a few seconds
          on a large vault.
        </p>
      </ConfirmDialog>
    </>
  );
}

/**
 * A user's unit. Validators must come from a unit other than the claim's, so a validator's unit
 * has to be recorded before they can validate (main refuses otherwise).
 */
function SetUnitForm({ user, onDone }: { user: UserRow; onDone: (u: UserRow | null) => Promise<void> }) {
  const [unit, setUnit] = useState(user.unit);
  const [error, setError] = useState<string | undefined>();
  const { isBusy, failure, setFailure, run } = useSubmit();

  async function submit() {
    setFailure(null);
    const parsed = unitName.safeParse(unit);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    // A refusal is shown as its sentence in the dialog, never beside the field.
    await run(
      async () => onDone(await call('users:set-unit', { userId: user.id, unit: parsed.data })),
      (e) => setFailure(messageOf(e)),
    );
  }

  return (
    <FormDialog isOpen title={`Set ${user.name}’s unit`} submitLabel="Save unit" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={() => void onDone(null)}>
      <p>
        The unit decides independence: a supervisor endorses claims from their own unit, and a validator may only validate claims from another
        unit. Leave it empty to clear it.
      </p>
      <TextField label="Unit" value={unit} onChange={(e) => setUnit(e.target.value)} error={error} autoComplete="off" maxLength={120} />
    </FormDialog>
  );
}

function AddUserForm({ onAdded }: { onAdded: (u: UserRow) => Promise<void> }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [unit, setUnit] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(ADD_USER_FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const parsed = addUserInput.safeParse({ name, role, passphrase, unit });
    const next = parsed.success ? {} : schemaErrors(parsed.error);
    if (!next.passphrase && confirm !== passphrase) next.confirm = 'The two passphrases do not match.';
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(
      async () => {
        const added = await call('users:add', parsed.data);
        setName('');
        setPassphrase('');
        setConfirm('');
        setRole('analyst');
        setUnit('');
        await onAdded(added);
      },
      // Only a weak passphrase or a name in use stays beside its field alone.
      (err) => {
        if (!(err instanceof ApiError && (err.code === 'weak_passphrase' || err.code === 'conflict'))) setFailure(messageOf(err));
      },
    );
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="add-user-heading">
      <h2 id="add-user-heading">Add a user</h2>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} autoComplete="off" />
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={errors.role}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Unit"
        hint="Their team, e.g. Gangs Unit. Validators must be from a unit other than the claims they validate."
        value={unit}
        onChange={(e) => setUnit(e.target.value)}
        error={errors.unit}
        autoComplete="off"
        maxLength={120}
      />
      <p className="field-hint">Give the new user their first passphrase in person. The first time they unlock, they must choose their own before anything else.</p>
      <PassphrasePair
        label="First passphrase"
        value={passphrase}
        confirm={confirm}
        onValue={setPassphrase}
        onConfirm={setConfirm}
        errors={errors}
        field="passphrase"
        confirmField="confirm"
        context={[name]}
      />
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

/**
 * The key slots, each checked against the vault's own registry: who it opens the vault for, its
 * state, when it last changed and any problem (a slot the vault did not issue, a replaced key, an
 * older copy put back). A slot with a problem opens nothing and receives no new data key.
 */
function KeySlots({ slots, stateOwner, onChanged }: { slots: KeySlotRow[] | null; stateOwner: string; onChanged: () => Promise<void> }) {
  const problems = slots?.filter((k) => k.problem !== null && k.status !== 'retiring').length ?? 0;
  const [isAsking, setAsking] = useState(false);
  const [code, setCode] = useState<string | null>(null);
  const [isStored, setStored] = useState(false);
  const { isBusy, failure, setFailure, run } = useSubmit();

  async function issue() {
    await run(
      async () => {
        setCode((await call('vault:new-recovery-code')).recoveryCode);
        setStored(false);
        await onChanged();
      },
      (e) => setFailure(messageOf(e)),
    );
    setAsking(false);
  }

  async function confirm() {
    if (!isStored) {
      setFailure('Tick the box once the new code is stored.');
      return;
    }
    await run(
      async () => {
        await call('vault:confirm-recovery');
        setCode(null);
        await onChanged();
      },
      (e) => setFailure(messageOf(e)),
    );
  }

  return (
    <section aria-labelledby="key-slots-heading">
      <h2 id="key-slots-heading">Key slots</h2>
      <p className="muted">
        Each passphrase and the recovery code opens the vault through a key slot in the key file beside it. The vault keeps its own record
        of the slots it issued, and checks the key file against it at every unlock and before every key rotation.
      </p>
      {problems > 0 && (
        <Alert tone="warning">
          {problems === 1 ? 'One key slot has a problem' : `${problems} key slots have problems`}: see the Problem column and the audit log. A slot with a
          problem opens nothing and receives no new data key.
        </Alert>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => setAsking(true)}>
          Issue a new recovery code…
        </button>
      </div>
      {failure && code === null && <Alert>{failure}</Alert>}
      <DataGrid<KeySlotRow>
        gridId="key-slots"
        stateOwner={stateOwner}
        label="Key slots"
        emptyText="No key slots."
        rows={slots}
        columns={keySlotColumns}
        getRowId={(p) => p.data.slotId}
        isCompact
      />
      <ConfirmDialog
        isOpen={isAsking}
        title="Issue a new recovery code?"
        confirmLabel="Issue a new code"
        isBusy={isBusy}
        onConfirm={() => void issue()}
        onCancel={() => setAsking(false)}
      >
        <p>
          The new code is shown once. The current code keeps working until you confirm that the new one is stored; then only the new one
          opens the vault. Both steps are recorded in the audit log.
        </p>
      </ConfirmDialog>
      <FormDialog
        isOpen={code !== null}
        title="The new recovery code"
        submitLabel="The new code is stored"
        isBusy={isBusy}
        failure={failure}
        onSubmit={() => void confirm()}
        onCancel={() => setCode(null)}
      >
        <p className="recovery-code" data-testid="new-recovery-code">
          {code}
        </p>
        <p className="notice">This is the only time the code is shown. Until you confirm it is stored, the previous code still works.</p>
        <div className="checkbox">
          <input id="new-recovery-stored" type="checkbox" checked={isStored} onChange={(e) => setStored(e.target.checked)} />
          <label htmlFor="new-recovery-stored">I have stored the new recovery code somewhere safe, away from this computer</label>
        </div>
      </FormDialog>
    </section>
  );
}
