import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChatCore } from '../core/chat.js';
import type { MessageKind } from '../core/stats.js';
import type { Traffic } from '../transports/traffic.js';
import type { StoreTimer } from './timed-store.js';

/** What the metrics read when scraped: the core's counts, and each transport's sockets (by name: tcp, ws). */
export interface Observed {
  core: ChatCore;
  traffic: Record<string, Traffic>;
}

/** One sample: its labels (each from a small fixed set, never a user's name) and its value. */
type Sample = [labels: Record<string, string>, value: number];

const KINDS: readonly MessageKind[] = ['lobby', 'room', 'whisper'];
/** Store calls take well under a millisecond on SQLite; a locked or failing disk takes seconds. */
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 2.5];

/** Node's own metrics (CPU, memory, heap, event-loop lag) are the process's: one registry for every server in it. */
let processMetrics: Registry | undefined;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics }); // its event-loop monitor samples every 10 ms
  }
  return processMetrics;
}

/**
 * The server's Prometheus metrics, in a registry of its own (several servers may share a process).
 * Nothing here runs per message: the counts are plain numbers kept where the work is done, and
 * `collect` reads them when /metrics is scraped. Only store calls are observed as they happen.
 */
export class Metrics {
  private readonly registry = new Registry();
  private readonly storeSeconds = new Histogram({
    name: 'howdy_store_seconds', help: 'Time taken by store calls, by call', labelNames: ['op'], buckets: STORE_BUCKETS, registers: [this.registry],
  });

  /** Times store calls (timed-store.ts): one histogram child per call, found once. */
  readonly storeTimer: StoreTimer = (op) => {
    const child = this.storeSeconds.labels(op);
    return (seconds) => child.observe(seconds);
  };

  /** Registers the metrics read from the running server. */
  watch({ core, traffic }: Observed): void {
    const { stats } = core;
    const transports = Object.entries(traffic);
    const perTransport = (read: (t: Traffic) => number) => (): Sample[] => transports.map(([transport, t]) => [{ transport }, read(t)]);
    const perKind = (counts: Record<MessageKind, number>) => (): Sample[] => KINDS.map((kind) => [{ kind }, counts[kind]]);
    const perCode = (counts: Map<string, number>) => (): Sample[] => Array.from(counts, ([code, n]) => [{ code }, n]);

    this.gauge('howdy_connections', 'Connections open, by transport and wire form', ['transport', 'wire'], () => {
      const counts = new Map<string, Sample>();
      for (const { transport, wire } of core.links()) {
        const key = `${transport} ${wire}`;
        const sample = counts.get(key);
        if (sample) sample[1]++;
        else counts.set(key, [{ transport, wire }, 1]);
      }
      return [...counts.values()];
    });
    this.counter('howdy_connections_opened_total', 'Connections accepted, by transport (refused ones too)', ['transport'], perTransport((t) => t.opened));
    this.gauge('howdy_users_online', 'Users online (names accepted)', [], () => [[{}, core.onlineCount]]);
    this.counter('howdy_registrations_total', 'Names accepted, as a guest or to an account', ['kind'], () => [
      [{ kind: 'guest' }, stats.registrations.guest], [{ kind: 'account' }, stats.registrations.account],
    ]);
    this.counter('howdy_refusals_total', 'Names, requests and messages refused (the connection goes on), by error code', ['code'], perCode(stats.refusals));
    this.counter('howdy_connections_dropped_total', 'Connections ended by the server over an error (SLOW_READER, RATE_LIMITED, …), by error code', ['code'], perCode(stats.drops));
    this.counter('howdy_messages_total', 'Messages relayed, by kind', ['kind'], perKind(stats.messages));
    this.counter('howdy_deliveries_total', 'Messages delivered: each message times its receivers, by kind', ['kind'], perKind(stats.deliveries));
    this.counter('howdy_received_bytes_total', 'Bytes received, by transport', ['transport'], perTransport((t) => t.bytesIn));
    this.counter('howdy_sent_bytes_total', 'Bytes sent, by transport', ['transport'], perTransport((t) => t.bytesOut));
    this.gauge('howdy_queued_bytes', 'Bytes written to peers that the kernel has not taken yet, by transport', ['transport'], perTransport((t) => t.queuedBytes));
  }

  /** The server's metrics and the process's, in Prometheus's text format. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const both = Registry.merge([processRegistry(), this.registry]);
    return { contentType: both.contentType, body: await both.metrics() };
  }

  private counter(name: string, help: string, labelNames: string[], read: () => Sample[]): void {
    new Counter({
      name, help, labelNames, registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.inc(labels, value);
      },
    });
  }

  private gauge(name: string, help: string, labelNames: string[], read: () => Sample[]): void {
    new Gauge({
      name, help, labelNames, registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.set(labels, value);
      },
    });
  }
}
