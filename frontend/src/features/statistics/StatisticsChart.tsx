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
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Bar dataKey="count" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
