import { api } from '../../api';
import { Badge, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { useLoad, when } from './ops-load';

interface SealStatus {
  initialized: boolean;
  sealed: boolean;
  kind?: string;
  threshold?: number;
  shares?: number;
  progress?: number;
}
interface Health {
  initialized: boolean;
  sealed: boolean;
  version: string;
  serverTimeUtc: number;
}

/**
 * `/ui/sys/health` (GET /v1/sys/health and /v1/sys/seal-status): whether the store is initialised and unsealed, the
 * seal kind and its shares, the server version and clock. Sealing is on the Incidents page (lockdown), behind a
 * typed confirmation.
 */
function HealthPage() {
  const health = useLoad(() => api<Health>('GET', '/sys/health'));
  const seal = useLoad(() => api<SealStatus>('GET', '/sys/seal-status'));
  const h = health.data;
  const s = seal.data;
  const skew = h ? Math.round(h.serverTimeUtc - Date.now() / 1000) : 0;
  return (
    <Page title="Seal status and health">
      <ErrorBanner error={health.error ?? seal.error} />
      <dl class="ops-facts">
        <dt>Store</dt>
        <dd>
          {s ? (
            <Badge tone={s.sealed ? 'bad' : s.initialized ? 'ok' : 'warn'}>
              {!s.initialized ? 'not initialised' : s.sealed ? 'sealed' : 'unsealed'}
            </Badge>
          ) : (
            '…'
          )}
        </dd>
        <dt>Seal</dt>
        <dd>
          {s?.kind ?? ''}
          {s?.threshold !== undefined ? ` (${s.threshold} of ${s.shares ?? '?'} shares)` : ''}
          {s?.progress ? `, ${s.progress} share(s) given` : ''}
        </dd>
        <dt>Version</dt>
        <dd>{h?.version ?? ''}</dd>
        <dt>Server time</dt>
        <dd>
          {h ? when(new Date(h.serverTimeUtc * 1000).toISOString()) : ''}
          {h && Math.abs(skew) > 5 ? (
            <Badge tone="warn">{`clock differs from yours by ${skew}s`}</Badge>
          ) : null}
        </dd>
      </dl>
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/sys/health', title: 'Seal status and health', nav: 'Operations', component: HealthPage },
];
