/** Seats over time: a small dependency-free SVG line chart with the seat limit as a dashed line. */
import { Text } from '@mantine/core';
import { useI18n } from '../i18n/index.js';

export interface SeatSample {
  at: number;
  inUse: number;
}

export function SeatsChart({
  samples,
  limit,
  height = 180,
}: {
  samples: SeatSample[];
  limit: number | null;
  height?: number;
}) {
  const { t, lang } = useI18n();
  const width = 640;
  const pad = { l: 36, r: 12, t: 12, b: 24 };
  if (samples.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('usage.noSamples')}
      </Text>
    );
  const max = Math.max(1, limit ?? 0, ...samples.map((s) => s.inUse)) * 1.1;
  const t0 = samples[0]!.at;
  const t1 = Math.max(t0 + 1, samples[samples.length - 1]!.at);
  const x = (at: number) => pad.l + ((at - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const path = samples.map((s, i) => `${i ? 'L' : 'M'}${x(s.at).toFixed(1)},${y(s.inUse).toFixed(1)}`).join(' ');
  // Over more than 12 hours (the server's 24-hour history) the ends carry the day too.
  const fmt = new Intl.DateTimeFormat(
    lang,
    t1 - t0 > 12 * 3600_000
      ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' },
  );
  const last = samples[samples.length - 1]!;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={t('usage.chartLabel', { inUse: last.inUse, limit: limit ?? '∞' })}
      data-testid="seats-chart"
    >
      <line x1={pad.l} x2={width - pad.r} y1={y(0)} y2={y(0)} stroke="currentColor" opacity={0.3} />
      {[0.5, 1].map((f) => (
        <g key={f}>
          <text x={pad.l - 6} y={y((max * f) / 1.1) + 4} fontSize={11} textAnchor="end" fill="currentColor">
            {Math.round((max * f) / 1.1)}
          </text>
          <line
            x1={pad.l}
            x2={width - pad.r}
            y1={y((max * f) / 1.1)}
            y2={y((max * f) / 1.1)}
            stroke="currentColor"
            opacity={0.08}
          />
        </g>
      ))}
      {limit !== null && (
        <line
          x1={pad.l}
          x2={width - pad.r}
          y1={y(limit)}
          y2={y(limit)}
          stroke="var(--mantine-color-red-6)"
          strokeDasharray="6 4"
        />
      )}
      <path d={path} fill="none" stroke="var(--mantine-color-blue-6)" strokeWidth={2.5} strokeLinejoin="round" />
      {samples.length === 1 && <circle cx={x(last.at)} cy={y(last.inUse)} r={4} fill="var(--mantine-color-blue-6)" />}
      <text x={pad.l} y={height - 6} fontSize={11} fill="currentColor">
        {fmt.format(t0)}
      </text>
      <text x={width - pad.r} y={height - 6} fontSize={11} textAnchor="end" fill="currentColor">
        {fmt.format(t1)}
      </text>
    </svg>
  );
}
