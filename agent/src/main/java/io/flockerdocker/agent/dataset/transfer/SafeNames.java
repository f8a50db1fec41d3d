package io.flockerdocker.agent.dataset.transfer;

/**
 * The receiver's lexical name rules: a relative, normalised, '/'-separated path with no empty,
 * "." or ".." component and no NUL. Structural rules (parent is a directory of this stream) live
 * in {@link TreeReceiver}; together they keep every write inside staging.
 */
final class SafeNames {
  /** The sentinel path of the dataset root's own entry (always the first entry of a stream). */
  static final String ROOT = ".";

  private static final int MAX_LENGTH = 4096;

  private SafeNames() {}

  /** The path unchanged when it is safe, else an UNSAFE_ENTRY failure. */
  static String check(String path) throws TransferException {
    if (path == null || path.isEmpty() || path.length() > MAX_LENGTH) {
      throw unsafe(path, "empty or too long");
    }
    if (path.startsWith("/")) {
      throw unsafe(path, "absolute");
    }
    if (path.indexOf('\0') >= 0) {
      throw unsafe(path, "NUL in name");
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw unsafe(path, "not normalised");
      }
    }
    return path;
  }

  /** The parent's relative path, or {@link #ROOT} for a top-level name. */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? ROOT : path.substring(0, slash);
  }

  static String child(String parent, String name) {
    return parent.equals(ROOT) ? name : parent + "/" + name;
  }

  static TransferException unsafe(String path, String why) {
    return new TransferException(
        TransferException.Kind.UNSAFE_ENTRY, "unsafe entry '" + path + "': " + why);
  }
}
