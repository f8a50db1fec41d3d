package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flockerdocker.control.ca.ClusterCa;
import io.flockerdocker.control.ca.FlockerCa;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS with certificates made by {@link ClusterCa}: user-* and node-* certificates of the
 * cluster complete the handshake, anything else does not; a host may report only as itself.
 */
class TlsTest {
  @TempDir static Path dir;
  static Path tls;
  static ControlService service;
  static String nodeA;
  static String nodeB;

  @BeforeAll
  static void start() throws Exception {
    tls = dir.resolve("tls");
    ClusterCa.init(tls, List.of("127.0.0.1"));
    ClusterCa.user(tls, "plugin");
    nodeA = ClusterCa.node(tls, "a", "127.0.0.1", Optional.empty());
    nodeB = ClusterCa.node(tls, "b", "127.0.0.1", Optional.empty());
    ClusterCa.init(dir.resolve("other"), List.of("127.0.0.1"));
    ClusterCa.user(dir.resolve("other"), "plugin");
    service = ControlService.start(ControlSettings.defaults(dir.resolve("data")).withTlsDir(tls))
        .toCompletableFuture().get();
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static ApiClient user(Path certs) throws Exception {
    return new ApiClient(service.url(), PemTls.clientContext(tls.resolve("cluster.crt"),
        certs.resolve("plugin.crt"), certs.resolve("plugin.key")));
  }

  static ApiClient node(String name) throws Exception {
    Path home = tls.resolve(name);
    return new ApiClient(service.url(), PemTls.clientContext(home.resolve("cluster.crt"),
        home.resolve("node.crt"), home.resolve("node.key")));
  }

  @Test
  void usersAndNodesOfTheClusterAreServed() throws Exception {
    assertThat(service.url()).startsWith("https://127.0.0.1:");
    ApiClient.Response r = user(tls).get("/version");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("flocker").asText()).isEqualTo("1.15.0");
    // hosts read configuration, leases and reports with their node certificate
    assertThat(node("a").get("/configuration/leases").status()).isEqualTo(200);
  }

  @Test
  void aNodeReportsForItselfOnly() throws Exception {
    String ds = java.util.UUID.randomUUID().toString();
    ApiClient a = node("a");
    assertThat(a.put("/state/nodes/" + nodeA, Reports.report(nodeA, 1, 1,
        Reports.manifest(ds, 1))).status()).isEqualTo(200);
    String before = a.get("/state/reports").body();

    ApiClient.Response forB = a.put("/state/nodes/" + nodeB,
        Reports.report(nodeB, 1, 1, Reports.manifest(ds, 5)));
    assertThat(forB.status()).isEqualTo(403);
    assertThat(forB.json().get("description").asText()).contains("node-" + nodeA);

    ApiClient.Response asUser = user(tls).put("/state/nodes/" + nodeA,
        Reports.report(nodeA, 1, 2));
    assertThat(asUser.status()).isEqualTo(403);
    assertThat(asUser.json().get("description").asText()).contains("user-plugin");

    assertThat(a.get("/state/reports").body()).isEqualTo(before);
    assertThat(a.state(ds).get("primary").asText()).isEqualTo(nodeA);
  }

  @Test
  void aNodeHeartbeatsForItselfOnly() throws Exception {
    // node b: aNodeReportsForItselfOnly stores node a's first report
    ApiClient b = node("b");
    ApiClient.Response put = b.put("/state/nodes/" + nodeB, Reports.report(nodeB, 1, 1));
    assertThat(put.status()).isEqualTo(200);
    String tag = put.header("ETag");
    assertThat(b.post("/x/heartbeat/" + nodeB, "", "If-Match", tag).status()).isEqualTo(204);
    ApiClient.Response asA = node("a").post("/x/heartbeat/" + nodeB, "", "If-Match", tag);
    assertThat(asA.status()).isEqualTo(403);
    assertThat(asA.json().get("description").asText()).contains("node-" + nodeB);
    assertThat(user(tls).post("/x/heartbeat/" + nodeB, "", "If-Match", tag).status())
        .isEqualTo(403);
  }

  @Test
  void noClientCertificateFailsTheHandshake() throws Exception {
    ApiClient api = new ApiClient(service.url(),
        PemTls.anonymousClientContext(tls.resolve("cluster.crt")));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
    ApiClient api = user(dir.resolve("other"));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThatThrownBy(() -> api.put("/state/nodes/" + nodeA, Reports.report(nodeA, 9, 9)))
        .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void aClusterCertificateWithAnotherCnFailsTheHandshake() throws Exception {
    FlockerCa ca = FlockerCa.load(tls);
    FlockerCa.Issued admin =
        ca.issue("admin", List.of(KeyPurposeId.id_kp_clientAuth), null);
    ApiClient api = new ApiClient(service.url(), context(ca, admin));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    // the control: the same path with a CN the service accepts works
    FlockerCa.Issued plugin2 =
        ca.issue("user-plugin2", List.of(KeyPurposeId.id_kp_clientAuth), null);
    assertThat(new ApiClient(service.url(), context(ca, plugin2)).get("/version").status())
        .isEqualTo(200);
  }

  private static SSLContext context(FlockerCa ca, FlockerCa.Issued identity) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("me", identity.key(), new char[0],
        new java.security.cert.Certificate[] {identity.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
