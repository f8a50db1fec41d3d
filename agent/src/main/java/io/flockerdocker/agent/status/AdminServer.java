package io.flockerdocker.agent.status;

import com.typesafe.config.Config;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.plugin.PluginServer;
import io.flockerdocker.agent.plugin.SocketAccess;
import io.flockerdocker.agent.plugin.UnixSocketServer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves {@link AdminRoutes} on {@code status.admin-socket}: the socket file is 0600 (0660 with
 * {@code status.admin-group}) in a directory the agent creates 0700 (0750), so only root (or
 * that group) can steer the node; the status TCP port stays read-only.
 */
public final class AdminServer {
  /** An operator talks to it now and then; a few connections are plenty. */
  static final int MAX_CONNECTIONS = 8;

  /** The two admin settings; an empty socket path turns operator actions off on this node. */
  public record Settings(Optional<Path> socket, Optional<String> group) {
    public static Settings create(Config root) {
      Config c = root.getConfig("flocker-docker.status");
      String socket = c.getString("admin-socket").trim();
      String group = c.getString("admin-group").trim();
      if (!socket.isEmpty() && !Path.of(socket).isAbsolute()) {
        throw new AgentSettings.SettingsException("status.admin-socket",
            "must be an absolute path, got " + socket);
      }
      return new Settings(socket.isEmpty() ? Optional.empty() : Optional.of(Path.of(socket)),
          group.isEmpty() ? Optional.empty() : Optional.of(group));
    }
  }

  private AdminServer() {}

  /** Binds the admin socket, or returns empty when it is turned off. */
  public static Optional<UnixSocketServer> start(ActorSystem<?> system, AgentSettings agent,
      Settings admin, Route route) throws IOException {
    if (admin.socket().isEmpty()) {
      return Optional.empty();
    }
    Path socket = admin.socket().get().toAbsolutePath();
    Optional<GroupPrincipal> group = group(admin.group());
    secureDirectory(socket.getParent(), group);
    SocketAccess access = new SocketAccess("admin API",
        group.isPresent() ? "rw-rw----" : "rw-------", group);
    UnixSocketServer server = UnixSocketServer.bind(system, socket, route.flow(system), access,
        PluginServer.serverSettings(system, agent), MAX_CONNECTIONS);
    server.addToCoordinatedShutdown();
    return Optional.of(server);
  }

  /**
   * Creates the socket's directory 0700 (0750 with a group) so nobody else can reach the socket
   * even in the moment between bind (umask mode) and chmod. A directory that already exists is
   * left as it is: it may be shared (/run), and changing its mode would break other users.
   */
  private static void secureDirectory(Path dir, Optional<GroupPrincipal> group)
      throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir,
        PosixFilePermissions.fromString(group.isPresent() ? "rwxr-x---" : "rwx------"));
    if (group.isPresent()) {
      Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setGroup(group.get());
    }
  }

  private static Optional<GroupPrincipal> group(Optional<String> name) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService()
          .lookupPrincipalByGroupName(name.get()));
    } catch (UserPrincipalNotFoundException e) {
      throw new AgentSettings.SettingsException("status.admin-group",
          "no such group: " + name.get());
    } catch (IOException e) {
      throw new AgentSettings.SettingsException("status.admin-group",
          "cannot look up group " + name.get() + ": " + e.getMessage());
    }
  }
}
