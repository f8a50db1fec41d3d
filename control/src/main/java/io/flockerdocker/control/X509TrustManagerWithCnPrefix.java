package io.flockerdocker.control;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Flocker's {@code rest_api_context_factory} check, widened for host reports: a client
 * certificate must chain to the cluster CA AND carry a CN with one of the given prefixes
 * ({@code user-}, {@code node-}); which node may report what is decided per request.
 */
public final class X509TrustManagerWithCnPrefix extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final java.util.List<String> prefixes;

  X509TrustManagerWithCnPrefix(X509ExtendedTrustManager delegate, java.util.List<String> prefixes) {
    this.delegate = delegate;
    this.prefixes = java.util.List.copyOf(prefixes);
  }

  /** The first CN of the certificate's subject, "" when it has none. */
  public static String commonName(X509Certificate cert) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] cns = name.getRDNs(BCStyle.CN);
    return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  private void checkPrefix(X509Certificate[] chain) throws CertificateException {
    String cn = commonName(chain[0]);
    if (prefixes.stream().noneMatch(cn::startsWith)) {
      throw new CertificateException("client CN '" + cn + "' does not start with " + prefixes);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
    checkPrefix(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
    checkPrefix(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
    checkPrefix(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
