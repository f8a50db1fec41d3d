package io.flockerdocker.agent.flocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.TestPki.Identity;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FlockerTls: mutual TLS against a JDK HTTPS server, and the start-up errors for bad files. */
class FlockerTlsTest {
  private static final Duration YEAR = Duration.ofDays(365);
  private static final Identity CA = TestPki.ca("test-cluster");
  private static final Identity PLUGIN = TestPki.issue(CA, "user-plugin", Instant.now(), YEAR);
  private static ActorSystem<Void> system;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            Behaviors.empty(), "flocker-tls-test",
            ConfigFactory.parseString(HttpFlockerClientTest.LOCAL)
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void client_built_from_agent_settings_talks_mutual_tls(boolean pkcs8) throws Exception {
    Identity server =
        TestPki.issue(CA, "control-service", Instant.now(), YEAR, "control-service", "ctl.example");
    try (CannedServer https = CannedServer.https(TestPki.serverContext(server, CA))) {
      https.reply(200, "{\"flocker\": \"1.15.0\"}");
      AgentSettings settings = settings(https, pkcs8);
      // dialled as 127.0.0.1, which is not in the SAN: Flocker's identity is the fixed name
      FlockerClient client = HttpFlockerClient.create(system, settings);
      assertThat(FlockerClientContractSupport.await(client.version())).isEqualTo("1.15.0");
    }
  }

  @Test
  void a_server_signed_by_another_ca_is_refused() throws Exception {
    Identity otherCa = TestPki.ca("other-cluster");
    Identity server = TestPki.issue(otherCa, "control-service", Instant.now(), YEAR, "control-service");
    try (CannedServer https = CannedServer.https(TestPki.serverContext(server, CA))) {
      FlockerException e = versionFails(https);
      assertThat(e.getMessage()).contains("TLS handshake failed (check the certificates)");
    }
  }

  @Test
  void a_server_not_named_control_service_is_refused() throws Exception {
    Identity server = TestPki.issue(CA, "control-service", Instant.now(), YEAR, "localhost");
    try (CannedServer https = CannedServer.https(TestPki.serverContext(server, CA))) {
      FlockerException e = versionFails(https);
      assertThat(e.getMessage()).contains("TLS handshake failed").contains("DNS:control-service");
    }
  }

  @Test
  void an_expired_client_certificate_fails_at_start_naming_file_and_date() {
    Identity expired =
        TestPki.issue(CA, "user-plugin", Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(1));
    write(CA, expired);
    Instant notAfter = TestPki.x509(expired).getNotAfter().toInstant();
    assertThatThrownBy(() -> FlockerTls.load(files()))
        .isInstanceOf(FlockerTls.TlsSetupException.class)
        .hasMessage("cannot read Flocker client certificate " + dir.resolve("plugin.crt")
            + ": it expired on " + notAfter);
  }

  @Test
  void a_missing_file_is_named() {
    assertThatThrownBy(() -> FlockerTls.load(files()))
        .hasMessage("cannot read Flocker cluster CA certificate " + dir.resolve("cluster.crt")
            + ": no such file");
  }

  @Test
  void a_key_of_another_certificate_is_refused() {
    write(CA, PLUGIN);
    TestPki.writeKey(dir.resolve("plugin.key"), CA, false);
    assertThatThrownBy(() -> FlockerTls.load(files()))
        .hasMessageContaining("does not belong to the client certificate");
  }

  @Test
  void a_flocker_ca_v1_certificate_with_extensions_fails_with_reissue_instructions() {
    Identity v1 = TestPki.v1WithExtensions("test-cluster", "control-service");
    // the hazard is real: the JDK refuses what flocker-ca writes
    assertThatThrownBy(
            () -> CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(v1.der())))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("version 1");
    write(v1, PLUGIN);
    assertThatThrownBy(() -> FlockerTls.load(files()))
        .isInstanceOf(FlockerTls.TlsSetupException.class)
        .hasMessageStartingWith("cannot read Flocker cluster CA certificate "
            + dir.resolve("cluster.crt") + ": it is an X.509 version 1 certificate")
        .hasMessageContaining("openssl x509 -req")
        .hasMessageContaining("subjectAltName=DNS:control-service");
  }

  private FlockerException versionFails(CannedServer https) {
    write(CA, PLUGIN);
    FlockerClient client =
        new HttpFlockerClient(system, https.url(), Optional.of(FlockerTls.load(files())),
            Duration.ofSeconds(5));
    try {
      FlockerClientContractSupport.await(client.version());
      throw new AssertionError("the TLS handshake should have failed");
    } catch (FlockerException e) {
      assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
      return e;
    }
  }

  private void write(Identity ca, Identity client) {
    TestPki.writeCert(dir.resolve("cluster.crt"), ca);
    TestPki.writeCert(dir.resolve("plugin.crt"), client);
    TestPki.writeKey(dir.resolve("plugin.key"), client, false);
  }

  private AgentSettings.TlsFiles files() {
    return new AgentSettings.TlsFiles(
        dir.resolve("cluster.crt"), dir.resolve("plugin.crt"), dir.resolve("plugin.key"));
  }

  private AgentSettings settings(CannedServer https, boolean pkcs8) {
    write(CA, PLUGIN);
    TestPki.writeKey(dir.resolve("plugin.key"), PLUGIN, pkcs8);
    return AgentSettings.create(
        ConfigFactory.parseString(
                "flocker-docker { node.name = n1, node.uuid = \"" + java.util.UUID.randomUUID()
                    + "\", flocker.url = \"" + https.url() + "\", flocker.tls.dir = \""
                    + dir + "\" }")
            .withFallback(ConfigFactory.load()));
  }
}
