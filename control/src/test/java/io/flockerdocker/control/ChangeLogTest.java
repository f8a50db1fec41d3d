package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The change feed's ring: distinct keys since a version, and "gone" past what it keeps. */
class ChangeLogTest {
  @Test
  void answersTheDistinctKeysChangedAfterAVersionNewestFirst() {
    ChangeLog log = new ChangeLog("b", 10);
    String v0 = log.version();
    log.record(List.of("a", "b"));
    String v2 = log.version();
    log.record(List.of("a", "c"));
    assertThat(log.since(v0, 100).keys()).containsExactly("c", "a", "b");
    assertThat(log.since(v2, 100).keys()).containsExactly("c", "a");
    assertThat(log.since(log.version(), 100).keys()).isEmpty();
    assertThat(log.since(v0, 100).version()).isEqualTo("b-4");
  }

  @Test
  void aVersionOlderThanTheRingOrFromAnotherRunOrTooBusyIsGone() {
    ChangeLog log = new ChangeLog("b", 3);
    String v0 = log.version();
    log.record(List.of("a"));
    String v1 = log.version();
    log.record(List.of("b", "c", "d"));
    assertThat(log.since(v0, 100)).isNull(); // "a" fell off the ring
    assertThat(log.since(v1, 100).keys()).containsExactly("d", "c", "b");
    assertThat(log.since(v1, 2)).isNull(); // three keys: more than the caller may get
    assertThat(log.since("other-1", 100)).isNull();
    assertThat(log.since("b-99", 100)).isNull();
    assertThat(log.since("garbage", 100)).isNull();
  }
}
