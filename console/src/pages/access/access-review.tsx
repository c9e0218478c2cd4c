import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Table } from '../../components/table';
import { Badge, Button, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { CAPABILITIES, errorText, type RuleRef, ruleText } from './access-api';

interface Explanation {
  policies: string[];
  decision: { allowed: boolean; reason: string; matchedRule?: RuleRef };
  rules: (RuleRef & { outcome: string; why: string })[];
}
interface Holder {
  kind: string;
  name: string;
  identity: string;
  policies: string[];
  reason: string;
  rule?: RuleRef;
}

function CapabilitySelect({ id }: { id: string }) {
  return (
    <div class="field">
      <label for={`f-${id}`}>Capability</label>
      <select id={`f-${id}`} name="capability">
        {CAPABILITIES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * `/ui/sys/access/who-can` (POST /v1/sys/access/who-can and POST /v1/sys/policies/explain): who holds a capability
 * on a path, and why a token (this session's, or another by accessor) is allowed or denied it, rule by rule.
 */
function AccessReview() {
  const [holders, setHolders] = useState<Holder[] | undefined>(undefined);
  const [whoError, setWhoError] = useState<string | undefined>(undefined);
  const [explained, setExplained] = useState<Explanation | undefined>(undefined);
  const [explainError, setExplainError] = useState<string | undefined>(undefined);
  const fields = (form: HTMLFormElement) => {
    const d = new FormData(form);
    const path = d.get('whoPath') ?? d.get('explainPath') ?? '';
    return { path: String(path).trim(), capability: String(d.get('capability') ?? 'read') };
  };
  return (
    <Page title="Access review">
      <h2>Who can</h2>
      <Form
        label="Who can"
        onSubmit={async (form) => {
          try {
            const r = await api<{ holders: Holder[] }>('POST', '/sys/access/who-can', fields(form));
            setHolders(r.holders);
            setWhoError(undefined);
          } catch (err) {
            setWhoError(errorText(err));
          }
        }}
      >
        <Field label="Path" name="whoPath" autocomplete="off" error={whoError} />
        <CapabilitySelect id="whoCapability" />
        <Button kind="primary" type="submit">
          Who can?
        </Button>
      </Form>
      {holders ? (
        <Table
          caption="Holders"
          rows={holders}
          rowKey={(h) => `${h.kind}:${h.name}`}
          empty="Nobody holds it."
          columns={[
            { key: 'kind', label: 'Kind', sort: (h) => h.kind },
            { key: 'identity', label: 'Identity', sort: (h) => h.identity },
            { key: 'policies', label: 'Policies', render: (h) => h.policies.join(', ') },
            { key: 'rule', label: 'Granting rule', render: (h) => ruleText(h.rule) },
          ]}
        />
      ) : null}
      <h2>Explain</h2>
      <Form
        label="Explain a decision"
        onSubmit={async (form) => {
          const accessor = String(new FormData(form).get('accessor') ?? '').trim();
          try {
            const r = await api<Explanation>('POST', '/sys/policies/explain', {
              ...fields(form),
              ...(accessor ? { accessor } : {}),
            });
            setExplained(r);
            setExplainError(undefined);
          } catch (err) {
            setExplainError(errorText(err));
          }
        }}
      >
        <Field label="Path" name="explainPath" autocomplete="off" error={explainError} />
        <CapabilitySelect id="explainCapability" />
        <Field label="Token accessor (empty: this session)" name="accessor" autocomplete="off" />
        <Button kind="primary" type="submit">
          Explain
        </Button>
      </Form>
      {explained ? (
        <section aria-label="Explanation">
          <p role="status">
            <Badge tone={explained.decision.allowed ? 'ok' : 'bad'}>
              {explained.decision.allowed ? 'allowed' : 'denied'}
            </Badge>{' '}
            {explained.decision.reason}
          </p>
          <ul>
            {explained.rules.map((r) => (
              <li key={`${r.policy}-${r.index}`}>{r.why}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/sys/access/who-can', title: 'Access review', nav: 'Access', component: AccessReview },
];
