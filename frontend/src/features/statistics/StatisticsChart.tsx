// A bar chart of one metric's categories. Loaded on demand (recharts is large); the table beside
// it carries the same figures for screen readers, so the drawing itself is hidden from them.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartBar {
  label: string;
  count: number;
}

export default function StatisticsChart({ bars }: { bars: ChartBar[] }) {
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={280}>
        <BarChart accessibilityLayer={false} data={bars} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--ds-color-neutral-border-subtle)" />
          <XAxis dataKey="label" tick={{ fill: 'var(--ds-color-neutral-text-default)', fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fill: 'var(--ds-color-neutral-text-default)', fontSize: 12 }} />
          <Tooltip />
          <Bar dataKey="count" fill="var(--ds-color-accent-base-default)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
