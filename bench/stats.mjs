// The few statistics the tables use.

function sorted(values) {
  if (values.length === 0) throw new Error('no samples');
  return [...values].sort((a, b) => a - b);
}

export function median(values) {
  const s = sorted(values);
  const middle = s.length >> 1;
  return s.length % 2 ? s[middle] : (s[middle - 1] + s[middle]) / 2;
}

/** The p-th percentile by nearest rank (p95 of 100 samples is the 95th smallest). */
export function percentile(values, p) {
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** The ratio of paired samples a[i] / b[i] (same run), as the median of the per-run ratios. */
export function pairedRatio(a, b) {
  return median(a.map((value, i) => value / b[i]));
}
