/** Reading a server's /metrics as Prometheus would: the text format's samples. */

/** The server's /metrics text, failing on anything but a 200 in Prometheus's text format. */
export async function scrape(httpPort: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  if (!res.headers.get('content-type')?.startsWith('text/plain; version=0.0.4')) throw new Error(`/metrics is ${res.headers.get('content-type')}`);
  return res.text();
}

/** The value of the sample `name` with exactly `labels` (in any order); undefined if there is none. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(/,(?=\w+=")/).filter(Boolean).sort().join(',');
    if (have === wanted) return Number(m[3]);
  }
  return undefined;
}
