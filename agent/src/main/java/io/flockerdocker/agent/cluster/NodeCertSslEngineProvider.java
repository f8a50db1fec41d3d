package io.flockerdocker.agent.cluster;

import io.flockerdocker.agent.dataset.transfer.DataPlaneTls;
import io.flockerdocker.agent.flocker.PemFiles;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Artery's TLS for the cluster port: node.crt/node.key of this host, only the cluster CA trusted,
 * TLS 1.3 AES-GCM, and both ends must present a {@code node-<uuid>} certificate (of a pinned node
 * when {@code cluster.allowed-nodes} is set). Pekko's own providers cannot do this: the rotating
 * one insists that peers share one subject, and every node certificate has its own CN.
 */
public final class NodeCertSslEngineProvider implements SSLEngineProvider {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCertSslEngineProvider.class);
  private final SSLContext context;
  private final Set<String> allowedNodes;

  /** Pekko creates the provider reflectively with the classic system. */
  public NodeCertSslEngineProvider(ActorSystem system) {
    this(ClusterTlsSettings.create(system.settings().config()));
  }

  public NodeCertSslEngineProvider(ClusterTlsSettings settings) {
    X509Certificate ca = PemFiles.certificate(settings.clusterCert(), "cluster certificate");
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("cluster-ca", ca);
      tmf.init(trust);
      X509ExtendedTrustManager pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
      context = SSLContext.getInstance("TLSv1.3");
      X509ExtendedKeyManager keys = (X509ExtendedKeyManager) DataPlaneTls.keyManagers(
          PemFiles.certificate(settings.nodeCert(), "node certificate"),
          PemFiles.privateKey(settings.nodeKey(), "node key"))[0];
      context.init(new KeyManager[] {new NodeKeyManager(keys, DataPlaneTls.KEY_ALIAS)},
          new TrustManager[] {new LoggingTrustManager(pkix)}, null);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cluster TLS: cannot build the TLS context: " + e, e);
    }
    this.allowedNodes = settings.allowedNodes();
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = engine(hostname, port);
    engine.setUseClientMode(false);
    // a peer without a node certificate of this CA must not get past the handshake
    engine.setNeedClientAuth(true);
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = engine(hostname, port);
    engine.setUseClientMode(true);
    return engine;
  }

  /** We dialled {@code hostname}: the server we reached must be a node of this cluster. */
  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return verify("server " + hostname, session);
  }

  /** A peer dialled us: the client must be a node of this cluster. */
  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return verify("client of " + hostname, session);
  }

  private SSLEngine engine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setEnabledProtocols(DataPlaneTls.PROTOCOLS);
    engine.setEnabledCipherSuites(DataPlaneTls.SUITES);
    return engine;
  }

  /** The chain was checked against the cluster CA in the handshake; this checks who it names. */
  Option<Throwable> verify(String peer, SSLSession session) {
    String uuid = canonicalUuid(DataPlaneTls.peerNodeUuid(session));
    String problem = null;
    if (uuid == null) {
      problem = "its certificate is not a node certificate (CN node-<uuid>)";
    } else if (!allowedNodes.isEmpty() && !allowedNodes.contains(uuid)) {
      problem = "node " + uuid + " is not in flocker-docker.cluster.allowed-nodes";
    }
    if (problem == null) {
      return Option.empty();
    }
    LOG.warn("cluster TLS: refused peer [{}]: [{}]", peer, problem);
    return Option.apply(new PeerRefusedException("cluster TLS: refused peer " + peer + ": "
        + problem));
  }

  /** The form allowed-nodes is stored in, or null when the CN holds no UUID. */
  private static String canonicalUuid(String s) {
    try {
      return s == null ? null : UUID.fromString(s).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A peer whose certificate chains to the cluster CA but is not an admitted node. */
  public static final class PeerRefusedException extends javax.net.ssl.SSLException {
    PeerRefusedException(String message) {
      super(message);
    }
  }
}
