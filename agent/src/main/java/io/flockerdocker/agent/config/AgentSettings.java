package io.flockerdocker.agent.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Every agent setting, read once from the {@code flocker-docker} config section. {@link
 * #create(Config)} validates them all and fails with a {@link SettingsException} naming the key.
 */
public record AgentSettings(
    String nodeName,
    String nodeUuid,
    Path socketPath,
    Optional<HostPort> tcpListener,
    int maxConnections,
    Duration idleTimeout,
    boolean listenEarly,
    URI flockerUrl,
    Optional<TlsFiles> flockerTls,
    Duration flockerRequestTimeout,
    Duration pollInterval,
    Duration pollIntervalBusy,
    Optional<Duration> catalogSaveInterval,
    Duration mountTimeout,
    Duration shortTimeout,
    boolean waitForRelease,
    int stashSize,
    long defaultSizeBytes,
    Optional<Duration> leaseTtl,
    Path stateDir,
    HostPort status,
    DatasetSettings dataset) {

  /** A host and port to listen on. */
  public record HostPort(String host, int port) {}

  /** PEM files for mutual TLS with the control service. */
  public record TlsFiles(Path clusterCert, Path clientCert, Path clientKey) {}

  /** One line naming the key and the problem; the agent refuses to start with it. */
  public static final class SettingsException extends RuntimeException {
    public SettingsException(String key, String problem) {
      super("invalid configuration: flocker-docker." + key + ": " + problem);
    }

    /** Reads {@code key} with {@code getter}; Typesafe Config's errors become one line here. */
    public static <T> T read(String key, Supplier<T> getter) {
      try {
        return getter.get();
      } catch (ConfigException.Missing e) {
        throw new SettingsException(key, "missing");
      } catch (ConfigException e) {
        throw new SettingsException(key, e.getMessage().replaceAll("^.*?: ", ""));
      }
    }
  }

  public static AgentSettings create(Config root) {
    Config c = root.getConfig("flocker-docker");
    String name = nonEmpty(c, "node.name");
    String uuid = nonEmpty(c, "node.uuid").toLowerCase();
    try {
      UUID.fromString(uuid);
    } catch (IllegalArgumentException e) {
      throw new SettingsException("node.uuid", "not a UUID: " + uuid);
    }
    URI url = FlockerUrl.resolve(c);
    // security (issue 13): plaintext would let anyone on the path read and steer the cluster
    if ("http".equals(url.getScheme()) && !bool(c, "flocker.allow-plaintext")) {
      throw new SettingsException("flocker.url", url + " is plaintext; use https://, or set "
          + "flocker-docker.flocker.allow-plaintext = on (loopback test setups only)");
    }
    Optional<TlsFiles> tls = Optional.empty();
    if ("https".equals(url.getScheme())) {
      Path dir = Path.of(nonEmpty(c, "flocker.tls.dir"));
      tls =
          Optional.of(
              new TlsFiles(
                  dir.resolve(nonEmpty(c, "flocker.tls.cluster-cert")),
                  dir.resolve(nonEmpty(c, "flocker.tls.client-cert")),
                  dir.resolve(nonEmpty(c, "flocker.tls.client-key"))));
    }
    String tcp = c.getString("plugin.tcp").trim();
    Duration mountTimeout = positive(c, "volume.mount-timeout");
    if (mountTimeout.compareTo(Duration.ofSeconds(115)) > 0) {
      throw new SettingsException(
          "volume.mount-timeout", "must stay under dockerd's 120 s Mount timeout");
    }
    Duration shortTimeout = positive(c, "volume.short-timeout");
    if (shortTimeout.compareTo(Duration.ofSeconds(55)) > 0) {
      throw new SettingsException(
          "volume.short-timeout", "must stay under dockerd's 60 s Unmount/Remove timeout");
    }
    long defaultSize = bytes(c, "volume.default-size");
    if (defaultSize < 64L * 1024 * 1024 || defaultSize % 1024 != 0) {
      throw new SettingsException(
          "volume.default-size", "Flocker needs at least 64 MiB and a multiple of 1024 bytes");
    }
    return new AgentSettings(
        name,
        uuid,
        Path.of(nonEmpty(c, "plugin.socket")),
        tcp.isEmpty() ? Optional.empty() : Optional.of(loopbackOnly(hostPort("plugin.tcp", tcp))),
        positiveInt(c, "plugin.max-connections"),
        positive(c, "plugin.idle-timeout"),
        bool(c, "plugin.listen-early"),
        url,
        tls,
        positive(c, "flocker.request-timeout"),
        positive(c, "flocker.poll-interval"),
        positive(c, "flocker.poll-interval-busy"),
        optionalDuration(c, "flocker.catalog-save-interval"),
        mountTimeout,
        shortTimeout,
        bool(c, "volume.wait-for-release"),
        positiveInt(c, "volume.stash-size"),
        defaultSize,
        optionalDuration(c, "leases.ttl"),
        Path.of(nonEmpty(c, "state-dir")),
        new HostPort(nonEmpty(c, "status.host"), port(c, "status.port")),
        DatasetSettings.create(root));
  }

  static String nonEmpty(Config c, String key) {
    String v = SettingsException.read(key, () -> c.getString(key)).trim();
    if (v.isEmpty()) {
      throw new SettingsException(key, "must be set");
    }
    return v;
  }

  private static Duration positive(Config c, String key) {
    Duration d = SettingsException.read(key, () -> c.getDuration(key));
    if (d.isNegative() || d.isZero()) {
      throw new SettingsException(key, "must be a positive duration, got " + d);
    }
    return d;
  }

  private static Optional<Duration> optionalDuration(Config c, String key) {
    String raw = SettingsException.read(key, () -> c.getString(key)).trim();
    if (raw.equals("off") || raw.equals("false") || raw.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(positive(c, key));
  }

  private static int positiveInt(Config c, String key) {
    int v = SettingsException.read(key, () -> c.getInt(key));
    if (v <= 0) {
      throw new SettingsException(key, "must be positive, got " + v);
    }
    return v;
  }

  private static int port(Config c, String key) {
    int v = SettingsException.read(key, () -> c.getInt(key));
    if (v < 0 || v > 65535) {
      throw new SettingsException(key, "must be a port number 0-65535, got " + v);
    }
    return v;
  }

  private static boolean bool(Config c, String key) {
    return SettingsException.read(key, () -> c.getBoolean(key));
  }

  private static long bytes(Config c, String key) {
    return SettingsException.read(key, () -> c.getBytes(key));
  }

  private static HostPort hostPort(String key, String value) {
    int colon = value.lastIndexOf(':');
    try {
      int p = Integer.parseInt(value.substring(colon + 1));
      if (colon <= 0 || p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(value.substring(0, colon), p);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new SettingsException(key, "expected HOST:PORT, got " + value);
    }
  }

  /** Security (issue 13): the plugin API has no authentication, so only this host may reach it. */
  private static HostPort loopbackOnly(HostPort hp) {
    if (!DatasetSettings.isLoopback(hp.host())) {
      throw new SettingsException("plugin.tcp", "must be a loopback address (127.0.0.1, ::1, "
          + "localhost): anyone who reaches it can mount any volume; got " + hp.host());
    }
    return hp;
  }

}
