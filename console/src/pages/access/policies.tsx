import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Table } from '../../components/table';
import { Button, ErrorBanner, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { errorText } from './access-api';
import { withFieldLine } from './json-locate';

/** `/ui/sys/policies` (GET /v1/sys/policies): the policy names, and a form to start a new one. */
function PoliciesList() {
  const [names, setNames] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const caps = useCaps(['sys/policies']);
  useEffect(() => {
    api<{ policies: string[] }>('GET', '/sys/policies').then((r) => setNames(r.policies), setError);
  }, []);
  return (
    <Page title="Policies" actions={<a href="/ui/sys/policies/simulate">Simulate a change</a>}>
      <ErrorBanner error={error} />
      <Table
        caption="Policies"
        rows={names ?? []}
        rowKey={(n) => n}
        empty={names ? 'No policies.' : 'Loading…'}
        columns={[
          {
            key: 'name',
            label: 'Policy',
            sort: (n) => n,
            render: (n) => <a href={`/ui/sys/policies/${encodeURIComponent(n)}`}>{n}</a>,
          },
        ]}
      />
      {can(caps, 'sys/policies', 'list') ? (
        <Form
          label="New policy"
          onSubmit={(form) => {
            const name = String(new FormData(form).get('name') ?? '').trim();
            if (name) navigate(`/ui/sys/policies/${encodeURIComponent(name)}?new=1`);
          }}
        >
          <Field label="New policy name" name="name" autocomplete="off" />
          <Button kind="primary" type="submit">
            Write a new policy
          </Button>
        </Form>
      ) : null}
    </Page>
  );
}

const EMPTY_DOC = '{\n  "rules": [\n    { "path": "app/**", "capabilities": ["read", "list"] }\n  ]\n}\n';

/**
 * `/ui/sys/policies/:name` (GET/PUT/DELETE /v1/sys/policies/:name): the policy as JSON in a validating editor. The
 * server validates on save; its coded error shows inline under the editor, with the line of the field it names (a
 * JSON syntax error names its line too).
 */
function PolicyEditor({ params, query }: { params: Record<string, string>; query: URLSearchParams }) {
  const name = params['name'] ?? '';
  const path = `sys/policies/${name}`;
  const caps = useCaps([path]);
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState('');
  const [confirming, setConfirming] = useState(false);
  const isNew = query.get('new') !== null;
  useEffect(() => {
    if (isNew) return setText((t) => t ?? EMPTY_DOC);
    api<{ name: string; description?: string; rules: unknown[] }>('GET', `/${path}`).then(
      ({ name: _n, ...doc }) => setText(`${JSON.stringify(doc, null, 2)}\n`),
      setError,
    );
  }, [path, isNew]);
  const save = async (form: HTMLFormElement) => {
    const source = String(new FormData(form).get('doc') ?? '');
    setText(source);
    setSaved('');
    let doc: unknown;
    try {
      doc = JSON.parse(source);
    } catch (err) {
      return setFieldError(jsonError(source, err));
    }
    try {
      await api('PUT', `/${path}`, doc);
      setFieldError(undefined);
      setSaved(`Saved policy "${name}".`);
      if (query.get('new')) navigate(`/ui/sys/policies/${encodeURIComponent(name)}`, true);
    } catch (err) {
      // The server names the field (`rules[2].capabilities[0]: ...`); the editor adds the line it is on.
      setFieldError(withFieldLine(errorText(err), source));
    }
  };
  const mayWrite = can(caps, path, 'update');
  return (
    <Page
      title={`Policy ${name}`}
      actions={
        can(caps, path, 'delete') && !query.get('new') ? (
          <Button kind="danger" onClick={() => setConfirming(true)}>
            Delete
          </Button>
        ) : null
      }
    >
      <ErrorBanner error={error} />
      {text === undefined ? (
        <p class="loading">Loading…</p>
      ) : (
        <Form label={`Edit policy ${name}`} onSubmit={save}>
          <Field
            label="Policy document (JSON)"
            name="doc"
            multiline
            spellcheck={false}
            defaultValue={text}
            readOnly={!mayWrite}
            error={fieldError}
          />
          {mayWrite ? (
            <Button kind="primary" type="submit">
              Save
            </Button>
          ) : (
            <p>You may read this policy but not change it.</p>
          )}
          {saved ? <p role="status">{saved}</p> : null}
        </Form>
      )}
      <p>
        <a href={`/ui/sys/policies/simulate?name=${encodeURIComponent(name)}`}>
          Simulate a change to this policy
        </a>
      </p>
      <ConfirmDialog
        open={confirming}
        title={`Delete policy ${name}`}
        message="Tokens naming this policy lose what it granted."
        confirmText={name}
        actionLabel="Delete policy"
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          await api('DELETE', `/${path}`);
          navigate('/ui/sys/policies');
        }}
      />
    </Page>
  );
}

/** A JSON syntax error with its line (the engine reports an offset: `... at position 42`). */
function jsonError(source: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  const line = at ? source.slice(0, Number(at[1])).split('\n').length : undefined;
  return `not valid JSON${line ? ` (line ${line})` : ''}: ${message}`;
}

export const pages: PageDef[] = [
  { route: '/ui/sys/policies', title: 'Policies', nav: 'Access', component: PoliciesList },
  { route: '/ui/sys/policies/:name', title: 'Policy', component: PolicyEditor },
];
