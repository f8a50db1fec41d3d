package io.flockerdocker.sim.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency samples of one measured operation, and the percentiles and rate they give. */
final class Latencies {
  private long[] nanos = new long[1024];
  private int n;
  private long wallNanos;
  private long errors;

  synchronized void add(long sample) {
    if (n == nanos.length) {
      nanos = Arrays.copyOf(nanos, n * 2);
    }
    nanos[n++] = sample;
  }

  synchronized void error() {
    errors++;
  }

  /** The wall-clock time the samples took together (for throughput). */
  synchronized void wall(long wall) {
    this.wallNanos = wall;
  }

  synchronized int count() {
    return n;
  }

  synchronized long errors() {
    return errors;
  }

  /** The q-quantile in milliseconds (nearest rank), NaN without samples. */
  synchronized double ms(double q) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
  }

  synchronized double perSecond() {
    return wallNanos == 0 ? Double.NaN : n * 1e9 / wallNanos;
  }

  /** p50/p99/p999 in ms, requests/s, count and errors, ready for a report row. */
  Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50_ms", round(ms(0.50)));
    m.put("p99_ms", round(ms(0.99)));
    m.put("p999_ms", round(ms(0.999)));
    m.put("per_s", round(perSecond()));
    m.put("n", count());
    m.put("errors", errors());
    return m;
  }

  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return Math.round(v * 1000) / 1000.0;
  }
}
