package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.agent.StatusCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code status} and {@code release} against a running 2-node LocalCluster (agents in their own
 * JVMs): any node's table shows both members and a mounted volume with its holder; release goes
 * to a node's admin socket.
 */
class StatusCliIT extends ClusterIT {
  record Run(int exit, String out, String err) {}

  StatusCliIT() {
    super(2, "");
  }

  @Test
  void statusShowsBothNodesAndTheHolderOfAVolume() throws Exception {
    try (PluginClient node1 = new PluginClient(cluster.agent(1).layout().socket())) {
      assertThat(node1.create("shown", Map.of()).err()).isEmpty();
      assertThat(node1.mount("shown", "c1").err()).isEmpty();
    }
    String node2 = cluster.agent(2).layout().statusUrl();
    Run run = until(() -> status("--url", node2),
        r -> r.exit() == 0 && r.out().matches("(?s).*\\nshown +node1 +node1 +1 +mounted\\n.*"));
    assertThat(run.out()).startsWith("node node2 (");
    assertThat(run.out()).containsPattern("(?m)^node1 +Up +yes ");
    assertThat(run.out()).containsPattern("(?m)^node2 +Up +yes ");
    assertThat(run.err()).isEmpty();

    Run json = status("--url", node2, "--json");
    assertThat(json.exit()).isZero();
    assertThat(json.out()).startsWith("{\"node\":\"node2\"").contains("\"name\":\"shown\"");

    String admin2 = cluster.agent(2).layout().adminSocket().toString();
    Run refused = release("shown", "--from", "node1", "--socket", admin2);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo("flocker-docker release: node1 is up and reachable: "
        + "stop the containers using volume shown there, or if none does, release with --force\n");

    // --force alone on a reachable holder: refused, naming the second flag
    Run forced = release("shown", "--from", "node1", "--socket", admin2, "--force");
    assertThat(forced.exit()).isEqualTo(1);
    assertThat(forced.err()).startsWith("flocker-docker release: node1 is up and reachable:")
        .contains(StatusCli.CONFIRM_FLAG).hasLineCount(1);

    // node1's dockerd lost the container; the operator says it twice, audited. An old script's
    // --url is accepted and ignored with a note
    Run confirmed = release("shown", "--from", "node1", "--socket", admin2, "--force",
        StatusCli.CONFIRM_FLAG, "--url", node2);
    assertThat(confirmed.exit()).as(confirmed.err()).isZero();
    assertThat(confirmed.out()).isEqualTo("released volume shown from node1\n");
    assertThat(confirmed.err()).startsWith("flocker-docker release: note: --url is ignored");
    try (PluginClient n2 = new PluginClient(cluster.agent(2).layout().socket())) {
      assertThat(n2.mount("shown", "c2").err()).isEmpty();
      assertThat(n2.unmount("shown", "c2").err()).isEmpty();
    }
  }

  @Test
  void aVolumesMountCountFollowsItsHoldersUnmounts() throws Exception {
    try (PluginClient node1 = new PluginClient(cluster.agent(1).layout().socket())) {
      assertThat(node1.create("counted", Map.of()).err()).isEmpty();
      assertThat(node1.mount("counted", "a").err()).isEmpty();
      assertThat(node1.mount("counted", "b").err()).isEmpty();
      assertThat(node1.unmount("counted", "a").err()).isEmpty();
      // node1's view: node2's catalog learns of the new volume only at its next poll
      JsonNode one = Faults.volumeStatus(cluster, 1, "counted");
      assertThat(one.path("mountedOn").asText()).as(one.toString()).isEqualTo("node1");
      assertThat(one.path("mounts").asInt()).as(one.toString()).isEqualTo(1);
      assertThat(node1.unmount("counted", "b").err()).isEmpty();
      assertThat(Faults.volumeStatus(cluster, 1, "counted").path("mounts").asInt()).isZero();
    }
  }

  @Test
  void aMissingAdminSocketIsOneLineAndExit1() throws Exception {
    Run run = release("shown", "--from", "node1", "--socket", "/nonexistent/admin.sock");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("flocker-docker release: no admin socket at /nonexistent/admin.sock");
  }

  @Test
  void anUnreachableAgentIsOneLineAndExit1() throws Exception {
    Run run = status("--url", "http://127.0.0.1:1");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("flocker-docker status: cannot reach the agent at http://127.0.0.1:1");
  }

  static Run status(String... args) throws Exception {
    return capture(cli -> cli.status(args));
  }

  static Run release(String... args) throws Exception {
    return capture(cli -> cli.release(args));
  }

  interface Call {
    int run(StatusCli cli) throws Exception;
  }

  static Run capture(Call call) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = call.run(new StatusCli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  interface Attempt {
    Run run() throws Exception;
  }

  /** Repeats until the status reflects the change (the view refreshes from Flocker); 30 s cap. */
  static Run until(Attempt attempt, java.util.function.Predicate<Run> done) throws Exception {
    Instant limit = Instant.now().plusSeconds(30);
    Run last = attempt.run();
    while (!done.test(last)) {
      if (Instant.now().isAfter(limit)) {
        throw new AssertionError("status never showed it; last:\n" + last.out() + last.err());
      }
      Thread.sleep(200);
      last = attempt.run();
    }
    return last;
  }
}
