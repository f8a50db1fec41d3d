package io.flockerdocker.agent.flocker;

/**
 * A Flocker call that did not succeed, classified so callers decide without parsing text:
 * {@link Kind#UNREACHABLE} (connect refused, TLS failure, timeout) is retried or reported as
 * VolumeFailure.ControlUnreachable; the others are the API's own answers (spec section 2).
 */
public final class FlockerException extends RuntimeException {
  /** What went wrong, from the caller's point of view. */
  public enum Kind {
    /** No HTTP answer: connection refused or reset, handshake failure, request timeout. */
    UNREACHABLE,
    /** 400: the request failed Flocker's schema (a bug on our side). */
    BAD_REQUEST,
    /** 404: dataset or lease not found. */
    NOT_FOUND,
    /** 405: the dataset has been deleted. */
    DELETED,
    /** 409 on create: the dataset_id is in use. */
    DATASET_EXISTS,
    /** 409 on lease acquire: another node holds the lease. */
    LEASE_HELD,
    /** 409 on a node report: not newer than the one the control service holds. */
    STALE_REPORT,
    /** 412: X-If-Configuration-Matches did not match; re-read and retry. */
    CONFIGURATION_CHANGED,
    /** 5xx, or a body we could not understand. */
    SERVER_ERROR
  }

  private final Kind kind;
  private final int status;

  public FlockerException(Kind kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  public FlockerException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public static FlockerException unreachable(String message, Throwable cause) {
    return new FlockerException(Kind.UNREACHABLE, 0, message, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no HTTP answer. */
  public int status() {
    return status;
  }

  public boolean is(Kind k) {
    return kind == k;
  }

  /** Unwraps CompletionException/ExecutionException layers to find a FlockerException. */
  public static java.util.Optional<FlockerException> of(Throwable t) {
    Throwable cur = t;
    while (cur != null) {
      if (cur instanceof FlockerException fe) {
        return java.util.Optional.of(fe);
      }
      cur = cur.getCause();
    }
    return java.util.Optional.empty();
  }
}
