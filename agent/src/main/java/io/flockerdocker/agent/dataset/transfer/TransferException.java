package io.flockerdocker.agent.dataset.transfer;

/**
 * Why a transfer failed, typed where it arises so the dataset agent, the logs and the metrics
 * never parse a message. The source copy is untouched whatever the kind.
 */
public final class TransferException extends Exception {
  /** What went wrong. */
  public enum Kind {
    /** The peer could not be reached, or the connection broke or idled out. */
    UNREACHABLE,
    /** The peer refused the request (not held, not sealed, not the primary, bad certificate). */
    REFUSED,
    /** The stream ended early or was malformed. */
    TRUNCATED,
    /** A file's or the stream's checksum or size did not match. */
    CHECKSUM,
    /** An entry would escape the dataset (absolute, "..", below a symlink, bad hard link). */
    UNSAFE_ENTRY,
    /** The local disk is full. */
    NO_SPACE,
    /** Any other local I/O failure. */
    LOCAL_IO
  }

  private final Kind kind;

  public TransferException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public TransferException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
