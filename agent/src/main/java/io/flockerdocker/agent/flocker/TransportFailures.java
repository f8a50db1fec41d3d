package io.flockerdocker.agent.flocker;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Short, operator-readable reasons for a request that got no HTTP answer: connection refused or
 * reset, TLS handshake failure (usually a certificate problem), or a stream-level failure.
 */
final class TransportFailures {
  private TransportFailures() {}

  static String reason(Throwable failure) {
    Throwable t = unwrap(failure);
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException ssl) {
        return "TLS handshake failed (check the certificates): " + deepest(ssl);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused (" + c.getMessage() + ")";
      }
    }
    return t.getClass().getSimpleName() + ": " + deepest(t);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The innermost message, which is where the JDK and Pekko put the actual reason. */
  private static String deepest(Throwable t) {
    String message = t.getMessage();
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null) {
        message = c.getMessage();
      }
    }
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
