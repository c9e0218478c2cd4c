import { useState } from 'preact/hooks';
import { Button, Field, Form } from '../../components/ui';
import { writeValue } from './secrets-api';

/**
 * Edit one key across every environment at once: a field per environment, left empty to keep the current value
 * (values are never pre-filled: that would be a read of each without asking). `row.name` empty: a new key.
 */
export function RowEditor({
  project,
  envs,
  row,
  onClose,
}: {
  project: string;
  envs: string[];
  row: { name: string; cells: Record<string, string> };
  onClose: (changed: boolean) => void;
}) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const isNew = row.name === '';
  return (
    <section class="panel" aria-label={isNew ? 'Add a key' : `Edit ${row.name}`}>
      <h2>{isNew ? 'Add a key' : `Edit ${row.name}`}</h2>
      <Form
        label={isNew ? 'Add a key' : `Edit ${row.name}`}
        error={error}
        onSubmit={async (form) => {
          const data = new FormData(form);
          const name = isNew ? String(data.get('key') ?? '').trim() : row.name;
          setBusy(true);
          setError(undefined);
          try {
            let changed = false;
            for (const env of envs) {
              const value = String(data.get(`env-${env}`) ?? '');
              if (value === '') continue;
              await writeValue(`${project}/${env}/${name}`, value);
              changed = true;
            }
            onClose(changed);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        {isNew ? <Field label="Key name" name="key" autocomplete="off" required /> : null}
        {envs.map((env) => (
          <Field
            key={env}
            label={`${env}${row.cells[env] ? ' (leave empty to keep)' : ' (not set)'}`}
            name={`env-${env}`}
            type="password"
            autocomplete="off"
          />
        ))}
        <div class="row">
          <Button kind="primary" type="submit" disabled={busy}>
            Save
          </Button>
          <Button onClick={() => onClose(false)}>Cancel</Button>
        </div>
      </Form>
    </section>
  );
}
