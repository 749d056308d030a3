/** Reading Prometheus' text format in tests. */

/** The value of the first sample of `name` whose labels include `labels`; 0 when there is none. */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (m && m[1] === name && want.every((l) => (m[2] ?? '').split(',').includes(l))) return Number(m[3]);
  }
  return 0;
}

/** The metric names a scrape lists (its "# TYPE" lines). */
export function metricNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
}
