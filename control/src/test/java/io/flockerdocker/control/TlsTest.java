package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mTLS like Flocker: only CA-chained client certificates with CN user-* complete the handshake. */
class TlsTest {
  @TempDir static Path dir;
  static Path tls;
  static FlockerCa ca;
  static ControlService service;

  @BeforeAll
  static void start() throws Exception {
    tls = dir.resolve("tls");
    ca = FlockerCa.initialise(tls, "test-cluster");
    ca.issueNode(tls, "0b4a4b8e-7a2f-4d0c-9b0e-3f3c8f1e2a11");
    FlockerCa.create("other").issueUser(dir.resolve("other"), "plugin");
    service = ControlService.start(ControlSettings.defaults(dir.resolve("data")).withTlsDir(tls))
        .toCompletableFuture().get();
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static SSLContext client(Path dirOfCert, String base) throws Exception {
    return PemTls.clientContext(tls.resolve("cluster.crt"), dirOfCert.resolve(base + ".crt"),
        dirOfCert.resolve(base + ".key"));
  }

  @Test
  void certificatesLookLikeFlockers() throws Exception {
    X509Certificate cluster = PemTls.readCertificates(tls.resolve("cluster.crt")).get(0);
    assertThat(cluster.getVersion()).isEqualTo(3);
    assertThat(cluster.getBasicConstraints()).isEqualTo(0);
    assertThat(cluster.getSubjectX500Principal().getName())
        .isEqualTo("CN=test-cluster,OU=" + ca.clusterUuid());
    X509Certificate control = PemTls.readCertificates(tls.resolve("control-service.crt")).get(0);
    assertThat(X509TrustManagerWithCnPrefix.commonName(control)).isEqualTo("control-service");
    assertThat(control.getSubjectAlternativeNames().stream().map(l -> l.get(1).toString()))
        .contains("control-service", "localhost", "127.0.0.1");
    X509Certificate user = PemTls.readCertificates(tls.resolve("plugin.crt")).get(0);
    assertThat(X509TrustManagerWithCnPrefix.commonName(user)).isEqualTo("user-plugin");
    assertThat(user.getExtendedKeyUsage()).contains(KeyPurposeId.id_kp_clientAuth.getId());
    assertThat(service.url()).startsWith("https://127.0.0.1:");
  }

  @Test
  void userCertificateIsServed() throws Exception {
    ApiClient api = new ApiClient(service.url(), client(tls, "plugin"));
    ApiClient.Response r = api.get("/version");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("flocker").asText()).isEqualTo("1.15.0");
  }

  @Test
  void noClientCertificateFailsTheHandshake() throws Exception {
    ApiClient api = new ApiClient(service.url(),
        PemTls.anonymousClientContext(tls.resolve("cluster.crt")));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(java.net.http.HttpTimeoutException.class);
  }

  @Test
  void certificateFromAnotherCaFailsTheHandshake() throws Exception {
    ApiClient api = new ApiClient(service.url(), client(dir.resolve("other"), "plugin"));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(java.net.http.HttpTimeoutException.class);
  }

  @Test
  void nodeCertificateIsNotAnApiUser() throws Exception {
    ApiClient api = new ApiClient(service.url(),
        client(tls, "node-0b4a4b8e-7a2f-4d0c-9b0e-3f3c8f1e2a11"));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(java.net.http.HttpTimeoutException.class);
  }

  @Test
  void unknownCustomCnIsRefusedToo() throws Exception {
    ca.issue(dir.resolve("misc"), "admin", "admin", KeyPurposeId.id_kp_clientAuth, null);
    ApiClient api = new ApiClient(service.url(), client(dir.resolve("misc"), "admin"));
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class)
        .isNotInstanceOf(java.net.http.HttpTimeoutException.class);
  }
}
