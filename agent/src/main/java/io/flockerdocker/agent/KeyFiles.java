package io.flockerdocker.agent;

import io.flockerdocker.agent.config.AgentSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Private keys the agent refuses to use when group or others may read them: whoever reads the
 * key can join the cluster or steer the control service as this node (issue 13).
 */
final class KeyFiles {
  private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private KeyFiles() {}

  /** The key files {@code s} will use, each checked; the first too-open one is the one line. */
  static void check(AgentSettings s) {
    s.flockerTls().ifPresent(t -> check("flocker.tls.client-key", t.clientKey()));
    if (s.dataset().tls()) {
      check("dataset.node-key", s.dataset().nodeKey());
    }
  }

  /** Refuses {@code file} if group or others have any access; a missing file is reported later. */
  static void check(String key, Path file) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      return; // missing, or not a POSIX file system: the TLS loader says what is wrong
    }
    if (perms.stream().anyMatch(TOO_OPEN::contains)) {
      throw new AgentSettings.SettingsException(key, file + " is readable by group or others ("
          + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); run: chmod 600 "
          + file);
    }
  }
}
