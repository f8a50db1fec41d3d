package io.flockerdocker.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Mountpoint check on its own: only normalised directories strictly under the root pass. */
class MountpointsTest {
  static final Path ROOT = Path.of("/var/lib/flocker-docker/datasets");

  @Test
  void aDatasetDirectoryUnderTheRootPasses() {
    assertThat(Mountpoints.problem(ROOT, ROOT + "/7a1f")).isEmpty();
    assertThat(Mountpoints.problem(Path.of("/srv/x/../data"), "/srv/data/7a1f")).isEmpty();
  }

  @Test
  void everythingElseIsRefusedSayingWhy() {
    assertThat(Mountpoints.problem(ROOT, null)).contains("no mount path");
    assertThat(Mountpoints.problem(ROOT, "/etc")).get().asString()
        .isEqualTo("mount path '/etc' is outside this host's dataset root " + ROOT);
    assertThat(Mountpoints.problem(ROOT, ROOT.toString())).get().asString().contains("outside");
    assertThat(Mountpoints.problem(ROOT, ROOT + "-evil/7a1f")).get().asString()
        .contains("outside");
    assertThat(Mountpoints.problem(ROOT, ROOT + "/../x")).get().asString()
        .contains("is not normalised");
    assertThat(Mountpoints.problem(ROOT, ROOT + "//7a1f")).get().asString()
        .contains("is not normalised");
    assertThat(Mountpoints.problem(ROOT, "datasets/7a1f")).get().asString()
        .contains("is not absolute");
    assertThat(Mountpoints.problem(ROOT, ROOT + "/a\u0000b")).get().asString()
        .contains("contains control characters").contains("\\u0000");
    assertThat(Mountpoints.problem(ROOT, ROOT + "/a\nb")).get().asString()
        .contains("contains control characters").doesNotContain("\n");
  }
}
