package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal and snapshot of the configuration: a start after a crash (journal not folded)
 * replays it, a torn last line is dropped, a damaged line refuses the start naming the file.
 */
class ConfigurationFileTest {
  @TempDir Path dir;

  static DatasetConfiguration dataset(String name) {
    return new DatasetConfiguration(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        false, Map.of("name", name), null);
  }

  /** Commits like the store does, then "crashes": no snapshot, no close. */
  Configuration commitAndCrash(ConfigurationFile file, Configuration c, DatasetConfiguration d)
      throws Exception {
    List<Change> changes = List.of(new Change.DatasetPut(d));
    Configuration next = c.apply(changes, c.revision() + 1);
    file.append(new Change.Entry(next.revision(), changes));
    return next;
  }

  @Test
  void aStartAfterACrashReplaysTheJournalAndKeepsTheTag() throws Exception {
    ConfigurationFile file = new ConfigurationFile(dir.resolve("configuration.json"));
    Configuration c = file.load();
    c = commitAndCrash(file, c, dataset("a"));
    c = commitAndCrash(file, c, dataset("b"));
    assertThat(dir.resolve("configuration.log")).exists();

    Configuration loaded = new ConfigurationFile(dir.resolve("configuration.json")).load();
    assertThat(loaded.tag()).isEqualTo(c.tag());
    assertThat(loaded.datasetsEtag()).isEqualTo(c.datasetsEtag());
    assertThat(loaded.liveByName("a")).isNotNull();
    assertThat(loaded.liveByName("b")).isNotNull();
    // folded at start: a snapshot and no journal
    assertThat(dir.resolve("configuration.log")).doesNotExist();
    assertThat(new ConfigurationFile(dir.resolve("configuration.json")).load().tag())
        .isEqualTo(c.tag());
  }

  @Test
  void aTornLastLineWasNeverAnsweredAndIsDropped() throws Exception {
    ConfigurationFile file = new ConfigurationFile(dir.resolve("configuration.json"));
    Configuration c = commitAndCrash(file, file.load(), dataset("a"));
    Files.writeString(dir.resolve("configuration.log"), "{\"revision\":9,\"chan",
        StandardOpenOption.APPEND);
    Configuration loaded = new ConfigurationFile(dir.resolve("configuration.json")).load();
    assertThat(loaded.tag()).isEqualTo(c.tag());
  }

  @Test
  void aDamagedLineRefusesTheStartWithOneLineNamingTheJournal() throws Exception {
    ConfigurationFile file = new ConfigurationFile(dir.resolve("configuration.json"));
    commitAndCrash(file, file.load(), dataset("a"));
    Path log = dir.resolve("configuration.log");
    Files.writeString(log, "{\"revision\":7,\"changes\":[{\"type\":\"nope\"}]}\n",
        StandardOpenOption.APPEND);
    String before = Files.readString(log);
    assertThatThrownBy(() -> new ConfigurationFile(dir.resolve("configuration.json")).load())
        .isInstanceOf(CorruptConfigurationException.class)
        .hasMessageStartingWith(log + " is corrupt (line 2: ")
        .hasMessageContaining("restore it from a backup")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Files.readString(log)).isEqualTo(before);
  }
}
