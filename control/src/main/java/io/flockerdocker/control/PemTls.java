package io.flockerdocker.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * SSLContexts from Flocker-style PEM files. The server side requires a client certificate
 * chained to {@code cluster.crt} whose CN starts with {@code user-} or {@code node-}; anything
 * else fails the handshake, as in Flocker.
 */
public final class PemTls {
  private static final char[] NO_PASSWORD = new char[0];

  private PemTls() {}

  /** The control service's context from {@code tlsDir}/cluster.crt, control-service.crt/.key. */
  public static SSLContext serverContext(Path tlsDir) throws IOException, GeneralSecurityException {
    // API users and hosts (which report state and read configuration) share the one port
    X509TrustManagerWithCnPrefix trust = new X509TrustManagerWithCnPrefix(
        trustManager(tlsDir.resolve("cluster.crt")), java.util.List.of("user-", "node-"));
    return context(tlsDir.resolve("control-service.crt"), tlsDir.resolve("control-service.key"),
        trust);
  }

  /** A client context trusting {@code caCert} and presenting {@code cert}/{@code key}. */
  public static SSLContext clientContext(Path caCert, Path cert, Path key)
      throws IOException, GeneralSecurityException {
    return context(cert, key, trustManager(caCert));
  }

  /** A client context that trusts {@code caCert} but presents no certificate. */
  public static SSLContext anonymousClientContext(Path caCert)
      throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {trustManager(caCert)}, null);
    return ctx;
  }

  /** A server engine demanding a client certificate (VERIFY_FAIL_IF_NO_PEER_CERT). */
  static SSLEngine serverEngine(SSLContext ctx) {
    SSLEngine engine = ctx.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    return engine;
  }

  public static List<X509Certificate> readCertificates(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(c -> (X509Certificate) c)
          .toList();
    }
  }

  /** Reads a PKCS#1 ({@code RSA PRIVATE KEY}, as flocker-ca writes) or PKCS#8 key. */
  public static PrivateKey readPrivateKey(Path pem) throws IOException {
    try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IOException("no private key in " + pem);
    }
  }

  private static SSLContext context(Path cert, Path key, TrustManager trust)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("identity", readPrivateKey(key), NO_PASSWORD,
        readCertificates(cert).toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, NO_PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
    return ctx;
  }

  private static X509ExtendedTrustManager trustManager(Path caCert)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (X509Certificate c : readCertificates(caCert)) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager for " + caCert);
  }
}
