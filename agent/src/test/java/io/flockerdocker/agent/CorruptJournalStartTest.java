package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.mounts.MountJournal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the agent started on a corrupt state-dir/mounts.json says so in one line and uses
 * the last good copy, or (with none) names the recovery command; never a stack trace.
 */
class CorruptJournalStartTest {
  @TempDir Path dir;
  Path state;
  Path config;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  PrintStream savedErr;

  @BeforeEach
  void setUp() throws Exception {
    state = Files.createDirectories(dir.resolve("state"));
    config = dir.resolve("node.conf");
    // dataset.tls on with an empty tls dir: the start stops right after the journal, at the
    // data channel's certificates, before an actor system exists
    Files.writeString(config, String.join("\n",
        "flocker-docker.node.name = node1",
        "flocker-docker.node.uuid = \"5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10\"",
        "flocker-docker.flocker.url = \"http://127.0.0.1:9\"",
        "flocker-docker.flocker.allow-plaintext = on",
        // a loopback agent of one: no node certificate needed on the cluster port
        "flocker-docker.cluster.tls = off",
        "flocker-docker.flocker.tls.dir = \"" + dir.resolve("no-tls") + "\"",
        "flocker-docker.state-dir = \"" + state + "\"",
        "flocker-docker.dataset.root = \"" + dir.resolve("data") + "\"",
        ""));
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
  }

  @Test
  void aCorruptJournalIsReplacedByItsLastGoodCopy() throws Exception {
    MountJournal journal = new MountJournal(state);
    journal.save(Map.of("demo", Map.of("A", 1)));
    journal.save(Map.of("demo", Map.of("A", 1, "B", 1)));
    Files.writeString(journal.file(), "{\"demo\": {\"A\": 1, \"B");

    assertThat(Main.run(System.out, System.err, "agent", "--config", config.toString())).isEqualTo(2);
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[0]).startsWith("flocker-docker agent: mount journal " + journal.file()
            + " is corrupt: ")
        .contains("started from its last good copy " + journal.backup())
        .contains("kept as " + journal.file() + ".corrupt");
    assertThat(lines[1]).contains("flocker-docker.dataset.tls"); // the next check, not a trace
    assertThat(lines).hasSize(2);
    assertThat(journal.load()).isEqualTo(Map.of("demo", Map.of("A", 1)));
    assertThat(Files.readString(state.resolve("mounts.json.corrupt"))).endsWith("\"B");
  }

  @Test
  void aNullJournalWithoutAGoodCopyNamesTheRecoveryCommand() throws Exception {
    MountJournal journal = new MountJournal(state);
    Files.writeString(journal.file(), "null");

    assertThat(Main.run(System.out, System.err, "agent", "--config", config.toString())).isEqualTo(2);
    String out = err.toString(StandardCharsets.UTF_8);
    assertThat(out.lines()).hasSize(1);
    assertThat(out).startsWith("flocker-docker agent: mount journal " + journal.file()
            + " is corrupt: it holds null")
        .contains(journal.backup() + " does not exist")
        .contains("mv " + journal.file() + " " + journal.file() + ".corrupt");
    assertThat(Files.readString(journal.file())).as("left for the operator").isEqualTo("null");
  }
}
