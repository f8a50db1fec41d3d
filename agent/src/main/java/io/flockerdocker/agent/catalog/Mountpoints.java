package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.support.LogText;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The check every Mountpoint from the network passes before dockerd sees it: the control
 * service's state and other members are not trusted to name a directory outside this host's
 * dataset root (a forged "/etc" would be bind-mounted into a container).
 */
public final class Mountpoints {
  private Mountpoints() {}

  /** Why {@code path} may not be handed to dockerd, or empty when it is fine. */
  public static Optional<String> problem(Path root, String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("no mount path");
    }
    if (path.chars().anyMatch(Character::isISOControl)) {
      // no dataset directory has one; dockerd and its logs would show a forged name
      return Optional.of("mount path " + quoted(path) + " contains control characters");
    }
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      return Optional.of("mount path " + quoted(path) + " is not a valid path");
    }
    if (!p.isAbsolute()) {
      return Optional.of("mount path " + quoted(path) + " is not absolute");
    }
    // ".." or "." or doubled slashes could climb out after a naive prefix check
    if (!p.normalize().toString().equals(path)) {
      return Optional.of("mount path " + quoted(path) + " is not normalised");
    }
    Path base = root.normalize();
    if (!p.startsWith(base) || p.equals(base)) {
      return Optional.of("mount path " + quoted(path) + " is outside this host's dataset root "
          + root);
    }
    return Optional.empty();
  }

  /** Whether {@code path} is a dataset directory under {@code root}. */
  public static boolean valid(Path root, String path) {
    return problem(root, path).isEmpty();
  }

  private static String quoted(String path) {
    return "'" + LogText.escape(path) + "'";
  }
}
