package io.flockerdocker.agent.cluster;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster CA's PKIX trust manager, logging every certificate it refuses: Artery reports a
 * failed handshake only as a broken connection, and an operator must see who was turned away.
 */
final class LoggingTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCertSslEngineProvider.class);
  private final X509ExtendedTrustManager delegate;

  LoggingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refused("client", chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refused("server " + engine.getPeerHost() + ":" + engine.getPeerPort(), chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refused("client", chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refused("server", chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refused("client", chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refused("server", chain, e);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private static CertificateException refused(
      String peer, X509Certificate[] chain, CertificateException e) {
    String subject = chain.length == 0 ? "none" : chain[0].getSubjectX500Principal().getName();
    String issuer = chain.length == 0 ? "none" : chain[0].getIssuerX500Principal().getName();
    LOG.warn("cluster TLS: refused handshake with [{}]: certificate [{}] issued by [{}] does not"
        + " chain to this cluster's CA: [{}]", peer, subject, issuer, e.getMessage());
    return e;
  }
}
