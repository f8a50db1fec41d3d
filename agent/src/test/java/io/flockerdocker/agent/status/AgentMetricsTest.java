package io.flockerdocker.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.AgentDeps;
import io.flockerdocker.agent.AgentServers;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.Guardian;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Node;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole agent in this JVM (Guardian, AgentServers, a one-node cluster) over the fake Flocker
 * client: drives the real plugin socket like dockerd and checks that /metrics is valid
 * Prometheus text whose values follow the creates, moves and mounts.
 */
class AgentMetricsTest {
  static final String SELF = UUID.randomUUID().toString();
  static final String OTHER = UUID.randomUUID().toString();
  @TempDir static Path dir;
  static FakeFlockerClient fake;
  static ActorSystem<Void> system;
  static Path socket;
  static String status;
  static Thread converger;
  static volatile boolean stop;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    fake = new FakeFlockerClient(List.of(new Node("10.0.0.1", SELF), new Node("10.0.0.2", OTHER)),
        dir.resolve("flocker").toString(), java.time.Clock.systemUTC());
    socket = dir.resolve("flocker.sock");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    status = "http://127.0.0.1:" + port;
    // a loopback cluster of one: plain TCP, no node certificate needed
    Config config = AgentConfig.load(ConfigFactory.parseString("flocker-docker.cluster.tls = off")
        .withFallback(ConfigFactory.parseMap(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", SELF,
        "flocker-docker.plugin.socket", socket.toString(),
        "flocker-docker.flocker.url", "http://127.0.0.1:9",
        "flocker-docker.flocker.poll-interval", "50 ms",
        "flocker-docker.state-dir", dir.resolve("state").toString(),
        "flocker-docker.status.port", port,
        "pekko.remote.artery.canonical.port", 0,
        "pekko.cluster.roles", List.of("name:node1", "uuid:" + SELF),
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        // not the default /run/flocker-docker: tests must not share (or need) a system path
        .withFallback(ConfigFactory.parseMap(Map.of("flocker-docker.status.admin-socket",
            dir.resolve("adm/a.sock").toString())))
        .withFallback(ConfigFactory.parseMap(Map.of(
            "flocker-docker.flocker.allow-plaintext", true,
            "flocker-docker.dataset.root", dir.resolve("flocker").toString())))));
    AgentDeps deps = AgentDeps.create(AgentSettings.create(config), Map.of(), sys -> fake);
    system = ActorSystem.create(Guardian.create(deps, new AgentServers()), "metrics-test", config);
    // the fake's "dataset agents": make state follow configuration while the test runs
    converger = new Thread(() -> {
      while (!stop) {
        fake.converge();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "fake-converger");
    converger.setDaemon(true);
    converger.start();
  }

  @AfterAll
  static void shutdown() throws Exception {
    stop = true;
    converger.join(5_000);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void metricsFollowCreatesMovesAndMounts() throws Exception {
    until(() -> get("/health/ready").statusCode() == 200, "node ready");
    until(() -> Double.valueOf(1.0).equals(scrape().get(
        "flocker_docker_cluster_members{reachable=\"true\",status=\"Up\"}")), "one Up member");
    Map<String, Double> m = scrape();
    assertThat(m.get("flocker_docker_mounts_active")).isEqualTo(0.0);
    assertThat(m.get("flocker_docker_leases_held")).isEqualTo(0.0);
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
    assertThat(m.get("flocker_docker_flocker_calls_total{endpoint=\"GET /v1/configuration/"
        + "datasets\",outcome=\"ok\"}")).isPositive();

    assertThat(plugin("/VolumeDriver.Create", "{\"Name\":\"here\",\"Opts\":null}"))
        .contains("\"Err\":\"\"");
    m = scrape();
    assertThat(m.get("flocker_docker_plugin_requests_total{endpoint=\"VolumeDriver.Create\"}"))
        .isEqualTo(1.0);
    assertThat(m).doesNotContainKey(
        "flocker_docker_plugin_errors_total{endpoint=\"VolumeDriver.Create\"}");
    assertThat(m.get("flocker_docker_plugin_request_duration_seconds_count"
        + "{endpoint=\"VolumeDriver.Create\"}")).isEqualTo(1.0);
    assertThat(m.get("flocker_docker_flocker_calls_total{endpoint=\"POST /v1/configuration/"
        + "datasets\",outcome=\"ok\"}")).isEqualTo(1.0);

    // a volume that lives on the other node: mounting it here is a move
    fake.createDataset(new CreateDatasetRequest(OTHER, null, 64L * 1024 * 1024,
        Map.of(DatasetConfiguration.NAME_KEY, "there")), Optional.empty())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    until(() -> plugin("/VolumeDriver.Get", "{\"Name\":\"there\"}").contains("\"Name\":\"there\""),
        "volume 'there' in the view");
    assertThat(plugin("/VolumeDriver.Mount", "{\"Name\":\"here\",\"ID\":\"c1\"}"))
        .contains("\"Err\":\"\"");
    assertThat(plugin("/VolumeDriver.Mount", "{\"Name\":\"there\",\"ID\":\"c2\"}"))
        .contains("\"Err\":\"\"");
    m = scrape();
    assertThat(m.get("flocker_docker_mounts_active")).isEqualTo(2.0);
    assertThat(m.get("flocker_docker_moves_total{event=\"started\"}")).isGreaterThanOrEqualTo(1);
    assertThat(m.get("flocker_docker_moves_total{event=\"finished\"}"))
        .isEqualTo(m.get("flocker_docker_moves_total{event=\"started\"}"));
    assertThat(m.get("flocker_docker_move_duration_seconds_count{outcome=\"finished\"}"))
        .isEqualTo(m.get("flocker_docker_moves_total{event=\"started\"}"));
    assertThat(m.get("flocker_docker_flocker_calls_total{endpoint=\"POST /v1/configuration/"
        + "leases\",outcome=\"ok\"}")).isEqualTo(2.0);
    until(() -> scrape().get("flocker_docker_leases_held") == 2.0, "two leases held");

    assertThat(plugin("/VolumeDriver.Mount", "{\"Name\":\"nowhere\",\"ID\":\"c3\"}"))
        .contains("no such volume");
    assertThat(plugin("/VolumeDriver.Unmount", "{\"Name\":\"here\",\"ID\":\"c1\"}"))
        .contains("\"Err\":\"\"");
    m = scrape();
    assertThat(m.get("flocker_docker_plugin_errors_total{endpoint=\"VolumeDriver.Mount\"}"))
        .isEqualTo(1.0);
    assertThat(m.get("flocker_docker_plugin_requests_total{endpoint=\"VolumeDriver.Mount\"}"))
        .isEqualTo(3.0);
    assertThat(m.get("flocker_docker_mounts_active")).isEqualTo(1.0);
    until(() -> scrape().get("flocker_docker_leases_held") == 1.0, "one lease held");
  }

  Map<String, Double> scrape() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return PromText.parse(r.body());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(status + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String plugin(String path, String body) throws Exception {
    return UdsHttp.post(socket, path, body);
  }

  static boolean safely(Check check) {
    try {
      return check.ok();
    } catch (Exception e) {
      return false; // not listening yet
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls a condition for up to 30 s; the bound only catches a hang, it is not a speed test. */
  static void until(Check check, String what) throws Exception {
    Instant limit = Instant.now().plusSeconds(30);
    while (!safely(check)) {
      if (Instant.now().isAfter(limit)) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(50);
    }
  }
}
