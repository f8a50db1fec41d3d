package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.flockerdocker.agent.cluster.ClusterTlsSettings;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.flocker.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node-config prints a configuration the agent accepts as it is; bad arguments exit 2. */
class NodeConfigTest {
  static final String NODE = UUID.randomUUID().toString();
  @TempDir Path dir;
  Path tls;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void pki() throws Exception {
    tls = Files.createDirectories(dir.resolve("tls"));
    TestPki.Identity ca = TestPki.ca("test-cluster");
    TestPki.Identity node = TestPki.issue(ca, "node-" + NODE, Instant.now().minusSeconds(60),
        Duration.ofDays(30));
    TestPki.writeCert(tls.resolve("cluster.crt"), ca);
    TestPki.writeCert(tls.resolve("node.crt"), node);
    TestPki.writeKey(tls.resolve("node.key"), node, false);
  }

  int run(String... args) throws Exception {
    return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void theConfigurationPassesTheAgentsValidation() throws Exception {
    assertThat(run("node-config", "--name", "host2", "--address", "10.0.0.12",
        "--seeds", "10.0.0.11,10.0.0.12:25600", "--control", "https://10.0.0.10:4523",
        "--tls-dir", tls.toString(), "--data-root", "/srv/datasets", "--backend", "shared",
        "--socket", "/run/docker/plugins/flocker.sock", "--status-port", "4531")).isZero();
    Path file = dir.resolve("node.conf");
    Files.writeString(file, out.toString(StandardCharsets.UTF_8));

    Config config = AgentMain.load(file);
    AgentSettings s = AgentMain.validate(config);
    assertThat(s.nodeName()).isEqualTo("host2");
    assertThat(s.nodeUuid()).isEqualTo(NODE); // from the certificate's CN
    assertThat(s.flockerTls()).isPresent();
    assertThat(s.flockerTls().get().clientCert()).isEqualTo(tls.resolve("node.crt"));
    assertThat(s.status().port()).isEqualTo(4531);
    assertThat(s.dataset().backend().wireName()).isEqualTo("shared");
    assertThat(s.dataset().root()).isEqualTo(Path.of("/srv/datasets"));
    assertThat(s.dataset().advertiseHost()).isEqualTo("10.0.0.12");
    assertThat(s.dataset().nodeCert()).isEqualTo(tls.resolve("node.crt"));
    assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.12");
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25520);
    assertThat(config.getStringList("pekko.cluster.seed-nodes")).containsExactly(
        "pekko://flocker-docker@10.0.0.11:25520", "pekko://flocker-docker@10.0.0.12:25600");
    // the cluster port: node-certificate TLS with the files of the tls dir it was given
    assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    ClusterTlsSettings cluster = ClusterTlsSettings.create(config);
    assertThat(cluster.tls()).isTrue();
    assertThat(cluster.nodeCert()).isEqualTo(tls.resolve("node.crt"));
    assertThat(cluster.nodeKey()).isEqualTo(tls.resolve("node.key"));
    assertThat(cluster.clusterCert()).isEqualTo(tls.resolve("cluster.crt"));
    cluster.checkFiles();
  }

  @Test
  void anExplicitUuidWinsOverTheCertificate() throws Exception {
    String other = UUID.randomUUID().toString();
    assertThat(run("node-config", "--name", "h", "--address", "127.0.0.1", "--seeds",
        "127.0.0.1", "--control", "https://127.0.0.1:4523", "--tls-dir", tls.toString(),
        "--data-root", "/data", "--uuid", other)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("node.uuid = \"" + other + "\"");
  }

  @Test
  void badArgumentsExit2WithOneLine() throws Exception {
    assertThat(run("node-config", "--name", "h", "--address", "a", "--seeds", "a",
        "--control", "https://c:4523", "--tls-dir", tls.toString(), "--data-root", "/d",
        "--backend", "zfs")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("flocker-docker node-config: --backend must be directory or shared, got 'zfs'"
            + System.lineSeparator());
    err.reset();
    assertThat(run("node-config", "--name", "h", "--address", "a", "--seeds", "a",
        "--control", "https://c:4523", "--tls-dir", dir.resolve("none").toString(),
        "--data-root", "/d")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).trim()).doesNotContain("\n")
        .contains("pass --uuid");
    err.reset();
    assertThat(run("node-config", "--name", "h")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("flocker-docker node-config:"
        + " Missing required options: '--address=ADDR', '--seeds=ADDR[,ADDR...]',"
        + " '--control=URL', '--tls-dir=D', '--data-root=DIR'" + System.lineSeparator());
  }
}
