package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flockerdocker.agent.dataset.transfer.DataPlaneTls;
import io.flockerdocker.agent.flocker.PemFiles;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster --tls}: agents with node certificates of one CA form the cluster over mutual
 * TLS on the cluster port (a client without a certificate is refused), and a volume written on
 * one node mounts with its data on the other.
 */
class TlsClusterIT {
  @Test
  void nodesOfOneCaFormTheClusterOverTlsAndMoveAVolume() throws Exception {
    Path dir = Files.createTempDirectory("fd-TlsClusterIT-");
    LocalCluster cluster = null;
    try {
      cluster = LocalCluster.start(LocalCluster.Options.of(2, dir).withTls(true),
          Duration.ofSeconds(180));
      for (AgentProcess a : cluster.agents()) {
        assertThat(a.layout().config()).content().contains("cluster.tls = on");
      }
      AgentLayout node1 = cluster.agent(1).layout();
      assertClusterPortIsMutualTls(node1, cluster.agent(2).layout().tlsDir());
      LocalCluster c = cluster;
      assertThat(call(c, 1, p -> p.create("over-tls", Map.of())).ok()).isTrue();
      PluginClient.Reply first = call(c, 1, p -> p.mount("over-tls", "a"));
      assertThat(first.ok()).as("node1 Mount: %s", first.body()).isTrue();
      Files.writeString(Path.of(first.mountpoint()).resolve("data.txt"), "from node1");
      assertThat(call(c, 1, p -> p.unmount("over-tls", "a")).ok()).isTrue();

      PluginClient.Reply second = call(c, 2, p -> p.mount("over-tls", "b"));
      assertThat(second.ok()).as("node2 Mount: %s", second.body()).isTrue();
      assertThat(Path.of(second.mountpoint()).resolve("data.txt")).hasContent("from node1");
      assertThat(call(c, 2, p -> p.unmount("over-tls", "b")).ok()).isTrue();
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      LocalCluster.deleteTree(dir);
    }
  }

  /**
   * The port speaks TLS, shows a node certificate of the CA, and refuses a client that has none
   * (TLS 1.3: the refusal arrives as an alert on the first read).
   */
  private static void assertClusterPortIsMutualTls(AgentLayout target, Path peerTls)
      throws Exception {
    SSLContext withCert = DataPlaneTls.load(peerTls.resolve("node.crt"),
        peerTls.resolve("node.key"), peerTls.resolve("cluster.crt"));
    try (SSLSocket s = open(withCert, target.clusterPort())) {
      assertThat(((X509Certificate) s.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal().getName()).contains("CN=node-" + target.uuid());
      // accepted: the server now waits for Artery's header
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
    SSLContext noCert = SSLContext.getInstance("TLSv1.3");
    noCert.init(null, trustOnly(peerTls.resolve("cluster.crt")), null);
    try (SSLSocket s = open(noCert, target.clusterPort())) {
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SSLException.class);
    }
  }

  private static SSLSocket open(SSLContext context, int port) throws Exception {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(3000);
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.startHandshake();
    return s;
  }

  private static TrustManager[] trustOnly(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", PemFiles.certificate(caPem, "cluster certificate"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    return tmf.getTrustManagers();
  }
}
