package io.flockerdocker.agent.plugin;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.GroupPrincipal;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may connect to a {@link UnixSocketServer}: the socket file's mode, its group if one is
 * set, and the name its log lines use; also reads who did connect (SO_PEERCRED).
 */
public record SocketAccess(String label, String mode, Optional<GroupPrincipal> group) {
  /** dockerd runs as root; 0660 keeps the old behaviour for a docker-group setup. */
  public static final SocketAccess PLUGIN =
      new SocketAccess("Docker plugin API", "rw-rw----", Optional.empty());

  /** "user=U group=G" of the connected process, or "unknown" where the JDK cannot tell. */
  static String peer(SocketChannel ch) {
    try {
      UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      return "user=" + p.user().getName() + " group=" + p.group().getName();
    } catch (IOException | UnsupportedOperationException e) {
      return "unknown";
    }
  }
}
