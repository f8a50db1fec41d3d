package io.flockerdocker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Rates between two readings of the control service's counters, and their report keys. */
class TrafficTest {
  @Test
  void ratesArePerSecondOfTheWindowAndBytesCountBothWays() {
    Traffic t = Traffic.between(new Traffic.Mark(1_000_000_000L, 10, 1000, 200),
        new Traffic.Mark(3_000_000_000L, 50, 9000, 1200));
    assertThat(t.seconds()).isEqualTo(2.0);
    assertThat(t.requestsPerS()).isEqualTo(20.0);
    assertThat(t.bytesOutPerS()).isEqualTo(4000.0);
    assertThat(t.bytesInPerS()).isEqualTo(500.0);
    assertThat(t.bytesPerS()).isEqualTo(4500.0);
  }

  @Test
  void anEmptyOrBackwardWindowIsRefused() {
    Traffic.Mark m = new Traffic.Mark(5, 0, 0, 0);
    assertThatThrownBy(() -> Traffic.between(m, m)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void putsPerNodeFiguresUnderPrefixAndSuffix() {
    Report r = new Report("scale");
    new Traffic(10, 30, 3000, 600).put(r, "idle_", "_at_zero", 3);
    assertThat(r.has("idle_bytes_per_s_per_node_at_zero")).isTrue();
    assertThat(r.has("idle_requests_per_s_at_zero")).isTrue();
    assertThat(r.has("idle_requests_per_s_per_node_at_zero")).isTrue();
    assertThat(r.has("idle_bytes_per_s_per_node")).isFalse();
  }
}
