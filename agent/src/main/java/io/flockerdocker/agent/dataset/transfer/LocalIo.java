package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** Turns a local file-system failure into a typed {@link TransferException} (NO_SPACE or LOCAL_IO). */
final class LocalIo {
  private LocalIo() {}

  static TransferException failure(String what, IOException e) {
    TransferException.Kind kind =
        isNoSpace(e) ? TransferException.Kind.NO_SPACE : TransferException.Kind.LOCAL_IO;
    return new TransferException(kind, what + ": " + e, e);
  }

  /**
   * The only place that inspects a message: the JDK has no exception type for ENOSPC. NIO file
   * operations report strerror(ENOSPC) as a FileSystemException's reason, channel writes as a
   * plain IOException's message; both read "No space left on device" on Linux (glibc, musl).
   */
  private static boolean isNoSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
      if (text != null && text.contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }
}
