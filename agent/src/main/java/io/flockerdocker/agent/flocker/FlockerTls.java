package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.config.AgentSettings;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * Mutual TLS with the Flocker control service, built once at start from the PEM files of {@link
 * AgentSettings.TlsFiles}: present the API user certificate, trust only the cluster CA, and accept
 * only a server whose certificate names {@code DNS:control-service}. Every problem with the files
 * (missing, unparsable, expired, key not matching) fails {@link #load} with a {@link
 * TlsSetupException} naming the file.
 */
public final class FlockerTls {
  private static final char[] NO_PASSWORD = new char[0];

  private final SSLContext context;

  private FlockerTls(SSLContext context) {
    this.context = context;
  }

  /** A TLS setup problem the agent cannot start with; the message is meant for the operator. */
  public static final class TlsSetupException extends RuntimeException {
    public TlsSetupException(String message) {
      super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
      super(message + ": " + cause.getMessage(), cause);
    }
  }

  /** Reads and checks the cluster CA, client certificate and client key. */
  public static FlockerTls load(AgentSettings.TlsFiles files) {
    X509Certificate clusterCa =
        PemFiles.certificate(files.clusterCert(), "Flocker cluster CA certificate");
    X509Certificate clientCert =
        PemFiles.certificate(files.clientCert(), "Flocker client certificate");
    PrivateKey clientKey = PemFiles.privateKey(files.clientKey(), "Flocker client key");
    if (!clientCert.getPublicKey().equals(publicKeyOf(clientKey, clientCert))) {
      throw new TlsSetupException(
          "Flocker client key "
              + files.clientKey()
              + " does not belong to the client certificate "
              + files.clientCert());
    }
    try {
      clientCert.verify(clusterCa.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException(
          "Flocker client certificate "
              + files.clientCert()
              + " is not signed by the cluster CA "
              + files.clusterCert()
              + " (the control service would refuse the TLS handshake)");
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers(clientCert, clientKey),
          new TrustManager[] {new ControlServiceTrustManager(clusterCa)},
          new SecureRandom());
      return new FlockerTls(context);
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("cannot set up TLS for the Flocker control service", e);
    }
  }

  /** A client engine: no host name check (the identity rule lives in the trust manager). */
  public SSLEngine createEngine(String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm(null);
    engine.setSSLParameters(params);
    return engine;
  }

  /** The Pekko HTTP connection context that uses {@link #createEngine}. */
  public HttpsConnectionContext connectionContext() {
    return ConnectionContext.httpsClient(this::createEngine);
  }

  private static KeyManager[] keyManagers(X509Certificate cert, PrivateKey key)
      throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("flocker-client", key, NO_PASSWORD, new X509Certificate[] {cert});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return factory.getKeyManagers();
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** The public half of an RSA key, to catch a key file that belongs to another certificate. */
  private static java.security.PublicKey publicKeyOf(PrivateKey key, X509Certificate cert) {
    if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
      try {
        return java.security.KeyFactory.getInstance("RSA")
            .generatePublic(
                new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      } catch (GeneralSecurityException e) {
        throw new TlsSetupException("cannot derive the public key of the client key", e);
      }
    }
    return cert.getPublicKey(); // other key types: let the handshake find a mismatch
  }
}
