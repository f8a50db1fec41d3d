package io.flockerdocker.agent.flocker;

import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Flocker's client-side identity rule: the server chain must lead to the cluster CA (and only to
 * it), and the server certificate's subjectAltName must contain {@code DNS:control-service},
 * whatever host or IP was dialled (so the JDK's host name check is deliberately not used).
 */
final class ControlServiceTrustManager extends X509ExtendedTrustManager {
  static final String CONTROL_SERVICE = "control-service";
  private static final int SAN_DNS = 2;

  private final X509ExtendedTrustManager chain;

  ControlServiceTrustManager(X509Certificate clusterCa) {
    this.chain = pkixTrusting(clusterCa);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certs, String authType)
      throws CertificateException {
    chain.checkServerTrusted(certs, authType);
    checkIdentity(certs);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
      throws CertificateException {
    chain.checkServerTrusted(certs, authType);
    checkIdentity(certs);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
      throws CertificateException {
    // the two-argument check: the engine's peer host must not be matched against the SAN
    chain.checkServerTrusted(certs, authType);
    checkIdentity(certs);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certs, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks the control service");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(certs, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(certs, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chain.getAcceptedIssuers();
  }

  static void checkIdentity(X509Certificate[] certs) throws CertificateException {
    if (certs == null || certs.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    List<String> dnsNames = dnsNames(certs[0]);
    if (!dnsNames.contains(CONTROL_SERVICE)) {
      throw new CertificateException(
          "server certificate "
              + certs[0].getSubjectX500Principal().getName()
              + " is not the Flocker control service: its subjectAltName has no DNS:"
              + CONTROL_SERVICE
              + " (DNS names: "
              + dnsNames
              + ")");
    }
  }

  private static List<String> dnsNames(X509Certificate cert) throws CertificateParsingException {
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        if (san.size() >= 2 && Integer.valueOf(SAN_DNS).equals(san.get(0))) {
          names.add(String.valueOf(san.get(1)));
        }
      }
    }
    return names;
  }

  private static X509ExtendedTrustManager pkixTrusting(X509Certificate clusterCa) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("flocker-cluster-ca", clusterCa);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(trusted);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager for PKIX");
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new FlockerTls.TlsSetupException("cannot build a trust store from the cluster CA", e);
    }
  }
}
