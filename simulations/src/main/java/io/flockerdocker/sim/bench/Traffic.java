package io.flockerdocker.sim.bench;

import io.flockerdocker.control.ControlService;

/**
 * What the control service served over one window: requests/s and bytes/s both ways, from its
 * own counters ({@link ControlService#requestCount()} and friends). Bytes are the message heads
 * (start line and headers, as the service approximates them) plus the bodies: about what
 * crosses the wire, so that a window of heartbeats without bodies is not 0 B/s.
 */
record Traffic(double seconds, double requestsPerS, double bytesOutPerS, double bytesInPerS) {

  /** The counters at one instant. */
  record Mark(long nanos, long requests, long bytesOut, long bytesIn) {
    static Mark of(ControlService c) {
      return new Mark(System.nanoTime(), c.requestCount(),
          c.responseHeadBytes() + c.responseBytes(), c.requestHeadBytes() + c.requestBytes());
    }
  }

  static Traffic between(Mark a, Mark b) {
    double s = (b.nanos() - a.nanos()) / 1e9;
    if (s <= 0) {
      throw new IllegalArgumentException("the second mark must come after the first");
    }
    return new Traffic(s, (b.requests() - a.requests()) / s, (b.bytesOut() - a.bytesOut()) / s,
        (b.bytesIn() - a.bytesIn()) / s);
  }

  /** Counts over {@code seconds} of whatever the cluster does meanwhile. */
  static Traffic over(ControlService c, int seconds) throws InterruptedException {
    Mark a = Mark.of(c);
    Thread.sleep(seconds * 1000L);
    return between(a, Mark.of(c));
  }

  /** Both directions. */
  double bytesPerS() {
    return bytesOutPerS + bytesInPerS;
  }

  /**
   * Adds {@code <prefix>requests_per_s<suffix>}, {@code <prefix>bytes_per_s<suffix>} (both
   * ways), each direction, and the per-node figures to {@code r}.
   */
  void put(Report r, String prefix, String suffix, int nodes) {
    r.put(prefix + "requests_per_s" + suffix, requestsPerS)
        .put(prefix + "requests_per_s_per_node" + suffix, requestsPerS / nodes)
        .put(prefix + "bytes_per_s" + suffix, bytesPerS())
        .put(prefix + "bytes_out_per_s" + suffix, bytesOutPerS)
        .put(prefix + "bytes_in_per_s" + suffix, bytesInPerS)
        .put(prefix + "bytes_per_s_per_node" + suffix, bytesPerS() / nodes);
  }
}
