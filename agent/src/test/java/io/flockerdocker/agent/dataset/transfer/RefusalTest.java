package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets nothing: foreign CAs, impostor servers, refused or withdrawn datasets, plain TCP off loopback. */
class RefusalTest {
  static final String SERVER = TlsRoundTripTest.SERVER;
  static final String CLIENT = TlsRoundTripTest.CLIENT;
  static SSLContext serverTls;
  static SSLContext clientTls;
  static SSLContext impostorServerTls;
  static SSLContext foreignClientTls;

  @TempDir Path tmp;
  Path src;
  Path staging;

  @BeforeAll
  static void pki(@TempDir Path pkiDir) {
    TransferPki cluster = new TransferPki(pkiDir, "cluster");
    serverTls = cluster.node("node-" + SERVER);
    clientTls = cluster.node("node-" + CLIENT);
    impostorServerTls = cluster.node("node-99999999-0000-4000-8000-000000000009");
    foreignClientTls = new TransferPki(pkiDir, "other-cluster").node("node-" + CLIENT);
  }

  @BeforeEach
  void tree() throws IOException {
    src = Files.createDirectory(tmp.resolve("src"));
    staging = tmp.resolve("staging");
    TestTrees.many(src, 5);
  }

  TransferException pull(SSLContext serverCtx, SourceResolver resolver, SSLContext clientCtx, String self) {
    try (TlsDataServer server =
        TlsDataServer.start("127.0.0.1", 0, serverCtx, resolver, Duration.ofSeconds(10))) {
      TlsDataClient client =
          new TlsDataClient(clientCtx, self, Duration.ofSeconds(5), Duration.ofSeconds(10));
      return assertThrows(
          TransferException.class,
          () -> client.pull(new Peer("127.0.0.1", server.port(), SERVER), "ds", staging));
    }
  }

  SourceResolver serveSrc() {
    return (id, requester) -> SourceResolver.Decision.serve(src);
  }

  void assertNothingArrived() throws IOException {
    try (Stream<Path> files = Files.walk(staging)) {
      assertEquals(0, files.filter(Files::isRegularFile).count(), "no file reached staging");
    }
  }

  /** A client that trusts anything and presents no certificate at all. */
  static SSLContext anonymousClient() throws java.security.GeneralSecurityException {
    javax.net.ssl.X509TrustManager trustAll = new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
    return ctx;
  }

  @Test
  void clientWithoutACertificateGetsNothing() throws Exception {
    TransferException e = pull(serverTls, serveSrc(), anonymousClient(), CLIENT);
    assertTrue(
        EnumSet.of(TransferException.Kind.REFUSED, TransferException.Kind.UNREACHABLE)
            .contains(e.kind()), e.toString());
    assertNothingArrived();
  }

  @Test
  void clientFromAnotherCaGetsNothing() throws IOException {
    TransferException e = pull(serverTls, serveSrc(), foreignClientTls, CLIENT);
    // the server aborts the handshake; the client sees the alert or the reset
    assertTrue(
        EnumSet.of(TransferException.Kind.REFUSED, TransferException.Kind.UNREACHABLE)
            .contains(e.kind()), e.toString());
    assertNothingArrived();
  }

  @Test
  void requestForAnotherNodeThanTheCertificateIsRefused() throws IOException {
    TransferException e = pull(serverTls, serveSrc(), clientTls, "33333333-0000-4000-8000-000000000003");
    assertEquals(TransferException.Kind.REFUSED, e.kind());
    assertTrue(e.getMessage().contains("not the certificate's"), e.getMessage());
    assertNothingArrived();
  }

  @Test
  void resolverRefusalReachesTheClient() throws IOException {
    TransferException e =
        pull(serverTls, (id, r) -> SourceResolver.Decision.refuse("not sealed"), clientTls, CLIENT);
    assertEquals(TransferException.Kind.REFUSED, e.kind());
    assertTrue(e.getMessage().endsWith("not sealed"), e.getMessage());
    assertNothingArrived();
  }

  @Test
  void serverWithAnotherNodesCertificateIsRefused() throws IOException {
    TransferException e = pull(impostorServerTls, serveSrc(), clientTls, CLIENT);
    assertEquals(TransferException.Kind.REFUSED, e.kind());
    assertTrue(e.getMessage().contains("presented node"), e.getMessage());
    assertNothingArrived();
  }

  @Test
  void copyWithdrawnBeforeTheTrailerFailsThePull() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    SourceResolver onceOnly =
        (id, r) ->
            calls.incrementAndGet() == 1
                ? SourceResolver.Decision.serve(src)
                : SourceResolver.Decision.refuse("unsealed");
    TransferException e = pull(serverTls, onceOnly, clientTls, CLIENT);
    assertEquals(TransferException.Kind.REFUSED, e.kind());
    assertEquals(2, calls.get(), "asked again before the trailer");
    assertNothingArrived();
  }

  @Test
  void plainTcpOnlyOnLoopback() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TlsDataServer.start("0.0.0.0", 0, null, serveSrc(), Duration.ofSeconds(1)));
    TlsDataClient plain = new TlsDataClient(null, CLIENT, Duration.ofSeconds(1), Duration.ofSeconds(1));
    TransferException e =
        assertThrows(
            TransferException.class,
            () -> plain.pull(new Peer("192.0.2.1", 4524, SERVER), "ds", staging));
    assertEquals(TransferException.Kind.REFUSED, e.kind());
  }

  @Test
  void nobodyListeningIsUnreachable() {
    TlsDataClient client = new TlsDataClient(clientTls, CLIENT, Duration.ofSeconds(2), Duration.ofSeconds(2));
    TransferException e =
        assertThrows(
            TransferException.class, () -> client.pull(new Peer("127.0.0.1", 1, SERVER), "ds", staging));
    assertEquals(TransferException.Kind.UNREACHABLE, e.kind());
  }
}
