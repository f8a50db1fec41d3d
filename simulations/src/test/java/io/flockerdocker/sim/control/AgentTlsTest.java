package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.FlockerTls;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.control.ca.ClusterCa;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's HttpFlockerClient and the control service over mutual TLS with certificates made
 * by {@code ca} (ClusterCa): the cluster's own files work, a control service whose
 * certificate another CA signed is refused with a reason that names TLS and the certificates.
 */
class AgentTlsTest {
  @TempDir static Path dir;
  static ActorTestKit testKit;
  static ControlService service;

  @BeforeAll
  static void start() throws Exception {
    for (String cluster : List.of("tls", "other")) {
      ClusterCa.init(dir.resolve(cluster), List.of("127.0.0.1"));
      ClusterCa.user(dir.resolve(cluster), "plugin");
    }
    service = ControlService.start(ControlSettings.defaults(dir.resolve("data"))
        .withTlsDir(dir.resolve("tls"))).toCompletableFuture().get();
    testKit = ActorTestKit.create("AgentTlsTest");
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    service.stop().toCompletableFuture().get();
  }

  static HttpFlockerClient client(Path certs) {
    FlockerTls tls = FlockerTls.load(new AgentSettings.TlsFiles(certs.resolve("cluster.crt"),
        certs.resolve("plugin.crt"), certs.resolve("plugin.key")));
    return new HttpFlockerClient(testKit.system(), URI.create(service.url()), Optional.of(tls),
        Duration.ofSeconds(10));
  }

  @Test
  void theClustersOwnCertificatesTalkMutualTls() throws Exception {
    assertThat(service.url()).startsWith("https://");
    HttpFlockerClient c = client(dir.resolve("tls"));
    assertThat(c.version().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("1.15.0");
    // nodes are the hosts that have reported: none here
    assertThat(c.listNodes().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aControlServiceSignedByAnotherCaIsRefused() throws Exception {
    HttpFlockerClient c = client(dir.resolve("other"));
    ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> c.version().toCompletableFuture().get(30, TimeUnit.SECONDS),
        ExecutionException.class);
    FlockerException f = FlockerException.of(e).orElseThrow();
    assertThat(f.is(FlockerException.Kind.UNREACHABLE)).isTrue();
    assertThat(f.getMessage())
        .startsWith("control service at " + service.url() + " unreachable: TLS handshake failed "
            + "(check the certificates): ");
  }
}
