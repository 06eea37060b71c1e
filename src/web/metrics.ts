/**
 * The few of the server's Prometheus metrics (its `/metrics`, in the text format: README "Metrics
 * and health") that the Moderation panel charts, sampled while it is open.
 */
export interface MetricsPoint {
  /** Seconds since the epoch (uPlot's x). */
  at: number;
  connections: number;
  /** Messages relayed a second, since the sample before. */
  messagesPerSecond: number;
  /** Deliveries (a message times its receivers) a second. */
  deliveriesPerSecond: number;
  /** The event loop's lag, in milliseconds. */
  lagMs: number;
}

/** The sum of a metric's samples over all its labels ("name{…} value" and "name value" lines); NaN when it has none. */
export function metricSum(text: string, name: string): number {
  let sum = Number.NaN;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !/^[{ ]/.test(line.charAt(name.length))) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    sum = (Number.isNaN(sum) ? 0 : sum) + value;
  }
  return sum;
}

/** The last `keep` points: each sample of /metrics's text makes one, the rates from the one before. */
export class MetricsSeries {
  readonly points: MetricsPoint[] = [];
  private last: { at: number; messages: number; deliveries: number } | undefined;

  constructor(private readonly keep = 60) {}

  add(text: string, at: number): MetricsPoint {
    const messages = metricSum(text, 'howdy_messages_total');
    const deliveries = metricSum(text, 'howdy_deliveries_total');
    const seconds = this.last ? Math.max(at - this.last.at, 0.001) : Number.NaN;
    const point = {
      at,
      connections: metricSum(text, 'howdy_connections'),
      messagesPerSecond: this.last ? (messages - this.last.messages) / seconds : 0,
      deliveriesPerSecond: this.last ? (deliveries - this.last.deliveries) / seconds : 0,
      lagMs: metricSum(text, 'nodejs_eventloop_lag_seconds') * 1000,
    };
    this.last = { at, messages, deliveries };
    this.points.push(point);
    if (this.points.length > this.keep) this.points.shift();
    return point;
  }
}
