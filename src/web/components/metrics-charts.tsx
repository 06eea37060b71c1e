import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { MetricsSeries, type MetricsPoint } from '../metrics.js';

/** How often /metrics is read while the charts are shown. */
const SAMPLE_MS = 2000;

const CHARTS: ReadonlyArray<{ key: Exclude<keyof MetricsPoint, 'at'>; label: string; unit: string }> = [
  { key: 'connections', label: 'Connections', unit: '' },
  { key: 'messagesPerSecond', label: 'Messages/s', unit: '/s' },
  { key: 'deliveriesPerSecond', label: 'Deliveries/s', unit: '/s' },
  { key: 'lagMs', label: 'Event-loop lag', unit: ' ms' },
];

/** Live charts of the server's key metrics, from its /metrics (same origin), sampled every 2 s while shown. */
export function MetricsCharts() {
  const series = useRef(new MetricsSeries());
  const [latest, setLatest] = useState<MetricsPoint | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    let stopped = false;
    const sample = async () => {
      try {
        const res = await fetch('/metrics');
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const text = await res.text();
        if (stopped) return;
        setLatest(series.current.add(text, Date.now() / 1000));
        setError('');
      } catch (err) {
        if (!stopped) setError(`The server's metrics could not be read: ${(err as Error).message} (is it run with --no-metrics?).`);
      }
    };
    void sample();
    const timer = setInterval(() => void sample(), SAMPLE_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return (
    <div id="mod-metrics">
      {error && <p class="error" role="alert">{error}</p>}
      {CHARTS.map((c) => (
        <figure key={c.key} class="metric" data-metric={c.key}>
          <figcaption>
            {c.label}: <span class="metric-value">{latest ? `${round(latest[c.key])}${c.unit}` : '…'}</span>
          </figcaption>
          <Chart points={series.current.points} pick={(p) => p[c.key]} label={c.label} />
        </figure>
      ))}
    </div>
  );
}

function round(n: number): string {
  return Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(n % 1 === 0 ? 0 : 1);
}

/** One uPlot chart, made once, its data set again at each render (a new sample). */
function Chart({ points, pick, label }: { points: readonly MetricsPoint[]; pick: (p: MetricsPoint) => number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const data: uPlot.AlignedData = [points.map((p) => p.at), points.map(pick)];
  useEffect(() => {
    const ink = getComputedStyle(box.current!).color;
    plot.current = new uPlot({
      width: box.current!.clientWidth || 400, height: 90, legend: { show: false }, cursor: { show: false },
      series: [{}, { label, stroke: ink, width: 1.5 }],
      axes: [{ stroke: ink, size: 30 }, { stroke: ink, size: 40 }],
    }, data, box.current!);
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => plot.current?.setData(data));
  return <div class="chart" ref={box} />;
}
