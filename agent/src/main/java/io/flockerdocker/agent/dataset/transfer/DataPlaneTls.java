package io.flockerdocker.agent.dataset.transfer;

import io.flockerdocker.agent.flocker.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * The data channel's TLS: one SSLContext per node from node.crt, node.key and cluster.crt (only
 * the cluster CA is trusted), TLS 1.3 with AES-GCM suites only (JDK 17's ChaCha20 runs at a tenth
 * of AES-GCM's speed, specs/data-plane.md §6), and the {@code node-<uuid>} CN rule for both ends.
 */
public final class DataPlaneTls {
  public static final String[] PROTOCOLS = {"TLSv1.3"};
  public static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"};
  /** The key managers' one alias: the node's certificate and key. */
  public static final String KEY_ALIAS = "node";
  private static final String CN_PREFIX = "node-";
  private static final char[] NO_PASSWORD = new char[0];

  private DataPlaneTls() {}

  /**
   * Reads the node's PEM identity and the cluster CA (the same reader and checks as the
   * control-service client: expired or v1 certificates are refused with the file named).
   */
  public static SSLContext load(Path nodeCrt, Path nodeKey, Path clusterCrt)
      throws GeneralSecurityException, IOException {
    return context(PemFiles.certificate(nodeCrt, "node certificate"),
        PemFiles.privateKey(nodeKey, "node key"),
        PemFiles.certificate(clusterCrt, "cluster certificate"));
  }

  /** A context presenting {@code cert} and trusting only certificates issued by {@code ca}. */
  public static SSLContext context(X509Certificate cert, PrivateKey key, X509Certificate ca)
      throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("cluster-ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keyManagers(cert, key), tmf.getTrustManagers(), null);
    return context;
  }

  /** Key managers presenting {@code cert} (the cluster port's provider builds its own trust). */
  public static KeyManager[] keyManagers(X509Certificate cert, PrivateKey key)
      throws GeneralSecurityException, IOException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(KEY_ALIAS, key, NO_PASSWORD, new X509Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, NO_PASSWORD);
    return kmf.getKeyManagers();
  }

  /** Pins protocol and suites on a socket of either side. */
  static void configure(SSLSocket socket) {
    socket.setEnabledProtocols(PROTOCOLS);
    socket.setEnabledCipherSuites(SUITES);
  }

  /** The node UUID in the peer certificate's CN {@code node-<uuid>}, or null if it has none. */
  public static String peerNodeUuid(SSLSession session) {
    try {
      X500Principal subject =
          ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal();
      String cn = commonName(subject);
      return cn != null && cn.startsWith(CN_PREFIX) && cn.length() > CN_PREFIX.length()
          ? cn.substring(CN_PREFIX.length())
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static String commonName(X500Principal subject) {
    return Arrays.stream(subject.getName(X500Principal.RFC2253).split(","))
        .filter(rdn -> rdn.startsWith("CN="))
        .map(rdn -> rdn.substring(3))
        .findFirst()
        .orElse(null);
  }
}
