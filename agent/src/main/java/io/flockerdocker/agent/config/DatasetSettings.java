package io.flockerdocker.agent.config;

import static io.flockerdocker.agent.config.AgentSettings.SettingsException.read;

import com.typesafe.config.Config;
import io.flockerdocker.agent.config.AgentSettings.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The dataset agent's settings ({@code flocker-docker.dataset}), read once by AgentSettings.
 * Invariant: the data channel runs without TLS only when every address it uses is loopback.
 */
public record DatasetSettings(
    Backend backend,
    Path root,
    String advertiseHost,
    String bindHost,
    int port,
    int advertisePort,
    boolean tls,
    Path clusterCert,
    Path nodeCert,
    Path nodeKey,
    long replicaBudgetBytes,
    Duration convergeInterval,
    Duration heartbeat,
    Duration resyncInterval,
    Duration transferIdleTimeout,
    Duration moveDelay) {

  /** Where copies live and how they move (docs/data-plane.md §3). */
  public enum Backend {
    DIRECTORY,
    SHARED;

    /** The name in config and in NodeReport.backend. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code root}: the whole config; the TLS files sit in {@code flocker.tls.dir}. */
  public static DatasetSettings create(Config root) {
    Config c = root.getConfig("flocker-docker");
    String backendName = read("dataset.backend", () -> c.getString("dataset.backend")).trim();
    Backend backend;
    try {
      backend = Backend.valueOf(backendName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SettingsException("dataset.backend",
          "must be directory or shared, got '" + backendName + "'");
    }
    String dataRoot = read("dataset.root", () -> c.getString("dataset.root")).trim();
    if (dataRoot.isEmpty() || !Path.of(dataRoot).isAbsolute()) {
      throw new SettingsException("dataset.root", "must be an absolute path, got '" + dataRoot
          + "'");
    }
    String advertise = read("dataset.advertise-host", () -> c.getString("dataset.advertise-host"))
        .trim();
    if (advertise.isEmpty()) {
      String canonical = "pekko.remote.artery.canonical.hostname";
      advertise = root.hasPath(canonical) ? root.getString(canonical).trim() : "127.0.0.1";
    }
    String bind = read("dataset.bind-host", () -> c.getString("dataset.bind-host")).trim();
    if (bind.isEmpty()) {
      bind = advertise;
    }
    int port = read("dataset.port", () -> c.getInt("dataset.port"));
    if (port < 0 || port > 65535) {
      throw new SettingsException("dataset.port", "must be a port number 0-65535, got " + port);
    }
    int advertisePort = read("dataset.advertise-port", () -> c.getInt("dataset.advertise-port"));
    if (advertisePort < 0 || advertisePort > 65535) {
      throw new SettingsException("dataset.advertise-port",
          "must be a port number 0-65535 (0 = the bound port), got " + advertisePort);
    }
    boolean tls = read("dataset.tls", () -> c.getBoolean("dataset.tls"));
    if (!tls && !(isLoopback(advertise) && isLoopback(bind))) {
      throw new SettingsException("dataset.tls", "may be off only when bind-host and "
          + "advertise-host are loopback, got " + bind + " and " + advertise);
    }
    Path tlsDir = Path.of(read("flocker.tls.dir", () -> c.getString("flocker.tls.dir")).trim());
    long budget = read("dataset.replica-budget", () -> c.getBytes("dataset.replica-budget"));
    if (budget < 0) {
      throw new SettingsException("dataset.replica-budget", "must be >= 0, got " + budget);
    }
    Duration moveDelay = read("dataset.move-delay", () -> c.getDuration("dataset.move-delay"));
    if (moveDelay.isNegative()) {
      throw new SettingsException("dataset.move-delay", "must not be negative, got " + moveDelay);
    }
    // normalised once: every dataset path is built from it, and Mount refuses unnormalised ones
    return new DatasetSettings(backend, Path.of(dataRoot).normalize(), advertise, bind, port,
        advertisePort, tls,
        tlsDir.resolve(read("flocker.tls.cluster-cert",
            () -> c.getString("flocker.tls.cluster-cert")).trim()),
        tlsDir.resolve(read("dataset.node-cert", () -> c.getString("dataset.node-cert")).trim()),
        tlsDir.resolve(read("dataset.node-key", () -> c.getString("dataset.node-key")).trim()),
        budget,
        positive(c, "dataset.converge-interval"),
        positive(c, "dataset.heartbeat"),
        positive(c, "dataset.resync-interval"),
        positive(c, "dataset.transfer-idle-timeout"),
        moveDelay);
  }

  /** Literal loopback names only: resolving a name here would make start-up depend on DNS. */
  public static boolean isLoopback(String host) {
    String h = host.replaceAll("^\\[|\\]$", "");
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  private static Duration positive(Config c, String key) {
    Duration d = read(key, () -> c.getDuration(key));
    if (d.isNegative() || d.isZero()) {
      throw new SettingsException(key, "must be a positive duration, got " + d);
    }
    return d;
  }

}
