package io.flockerdocker.control;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.SslSessionInfo;

/**
 * The CN of the client certificate a request came with, read from the TLS session Pekko HTTP
 * attaches to each request ({@code pekko.http.server.parsing.ssl-session-attribute = on}).
 */
final class PeerIdentity {
  private PeerIdentity() {}

  /** Empty on plain HTTP, or if the session carries no verified X.509 client certificate. */
  static Optional<String> commonName(HttpRequest request) {
    Optional<SslSessionInfo> info = request.getAttribute(AttributeKeys.sslSession);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = info.get().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf
          ? Optional.of(X509TrustManagerWithCnPrefix.commonName(leaf))
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      // cannot happen with need-client-auth, but if it did the caller must refuse, not pass
      return Optional.empty();
    }
  }
}
