/** A certificate as the timeline draws it. */
export interface TimelineCert {
  fingerprintSha256: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
}

const DAY = 86_400_000;
const WIDTH = 1000;
const ROW = 22;
const LEFT = 260;

/** The common name of a subject (`CN=web.example.com, O=...` -> `web.example.com`), else the subject itself. */
export function commonName(subject: string): string {
  return /CN=([^,/\n]+)/.exec(subject)?.[1]?.trim() ?? subject;
}

/** Days-left tone: expired, within 30 days, later. */
export const expiryTone = (daysLeft: number): 'bad' | 'warn' | 'ok' =>
  daysLeft < 0 ? 'bad' : daysLeft <= 30 ? 'warn' : 'ok';

/**
 * The expiry timeline: one bar per certificate over a window from 30 days ago to a year ahead (bars past the window
 * are cut at its edge), a line at today, colour by days left. SVG geometry only (no inline style, for the CSP); each
 * bar's <title> names the certificate and its expiry, and the table beside it holds the same facts as text.
 */
export function CertTimeline({ certs, now }: { certs: readonly TimelineCert[]; now: number }) {
  const from = now - 30 * DAY;
  const to = now + 365 * DAY;
  const x = (t: number) =>
    LEFT + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * (WIDTH - LEFT - 10);
  const rows = certs.slice(0, 40);
  const height = rows.length * ROW + 30;
  const ticks = [0, 90, 180, 270, 365];
  return (
    <svg
      class="ops-timeline"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`Expiry timeline of ${rows.length} certificate(s), from 30 days ago to a year ahead`}
    >
      {ticks.map((d) => (
        <g key={d}>
          <line class="ops-tick" x1={x(now + d * DAY)} x2={x(now + d * DAY)} y1={0} y2={height - 20} />
          <text
            class="ops-tick-label"
            x={x(now + d * DAY)}
            y={height - 6}
            text-anchor={d === 365 ? 'end' : 'middle'}
          >
            {d === 0 ? 'today' : `+${d}d`}
          </text>
        </g>
      ))}
      {rows.map((c, i) => {
        const y = i * ROW + 4;
        const start = x(Date.parse(c.notBefore));
        const end = x(Date.parse(c.notAfter));
        return (
          <g key={c.fingerprintSha256} data-fingerprint={c.fingerprintSha256}>
            <title>{`${c.subject}: expires ${c.notAfter} (${c.daysLeft} days left)`}</title>
            <text class="ops-timeline-label" x={LEFT - 8} y={y + 13} text-anchor="end">
              {commonName(c.subject).slice(0, 36)}
            </text>
            <rect
              class={`ops-bar ops-bar-${expiryTone(c.daysLeft)}`}
              x={start}
              y={y}
              width={Math.max(2, end - start)}
              height={ROW - 8}
              rx={3}
            />
          </g>
        );
      })}
    </svg>
  );
}
