package io.flockerdocker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles and rate, as every bench table reports them. */
class LatenciesTest {
  @Test
  void nearestRankPercentilesInMilliseconds() {
    Latencies l = new Latencies();
    for (int ms = 100; ms >= 1; ms--) { // added out of order on purpose
      l.add(ms * 1_000_000L);
    }
    assertThat(l.ms(0.50)).isEqualTo(50.0);
    assertThat(l.ms(0.99)).isEqualTo(99.0);
    assertThat(l.ms(1.0)).isEqualTo(100.0);
    assertThat(l.ms(0.0)).isEqualTo(1.0);
  }

  @Test
  void fewSamplesGiveTheLargestAsP99AndNoneGiveNaN() {
    Latencies l = new Latencies();
    assertThat(l.ms(0.99)).isNaN();
    assertThat(ScaleBench.num(l.ms(0.99))).isNull();
    for (long ms : new long[] {3, 1, 2}) {
      l.add(ms * 1_000_000L);
    }
    assertThat(l.ms(0.99)).isEqualTo(3.0);
    assertThat(l.ms(0.5)).isEqualTo(2.0);
  }

  @Test
  void rateIsSamplesPerWallSecondAndGrowsPastTheInitialCapacity() {
    Latencies l = new Latencies();
    for (int i = 0; i < 5000; i++) {
      l.add(1);
    }
    l.wall(2_000_000_000L);
    assertThat(l.count()).isEqualTo(5000);
    assertThat(l.perSecond()).isEqualTo(2500.0);
  }
}
