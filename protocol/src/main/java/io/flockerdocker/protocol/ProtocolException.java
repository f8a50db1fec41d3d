package io.flockerdocker.protocol;

/**
 * A body that is not what the protocol allows: malformed JSON, a wrong type, a missing field. The
 * message is written for a person (it ends up in a Docker {@code Err} or a Flocker description),
 * so callers never see Jackson's own exception text.
 */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
