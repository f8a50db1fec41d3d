package io.flockerdocker.agent.cluster;

import static io.flockerdocker.agent.config.AgentSettings.SettingsException.read;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.config.AgentSettings.SettingsException;
import io.flockerdocker.agent.flocker.FlockerTls;
import io.flockerdocker.agent.flocker.PemFiles;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code flocker-docker.cluster}: mutual TLS on the Pekko cluster port with node certificates.
 * Invariant: the cluster port runs plain TCP only when everything it binds and advertises is
 * loopback, so nobody off the host can join, read or steer the cluster without a certificate.
 */
public record ClusterTlsSettings(
    boolean tls, Path clusterCert, Path nodeCert, Path nodeKey, Set<String> allowedNodes) {
  static final String CANONICAL_HOST = "pekko.remote.artery.canonical.hostname";
  static final String CANONICAL_PORT = "pekko.remote.artery.canonical.port";
  static final String BIND_HOST = "pekko.remote.artery.bind.hostname";

  /** Reads and checks the section; {@code root} is the whole config. */
  public static ClusterTlsSettings create(Config root) {
    Config c = root.getConfig("flocker-docker");
    boolean tls = read("cluster.tls", () -> c.getBoolean("cluster.tls"));
    Set<String> allowed = new LinkedHashSet<>();
    for (String raw : read("cluster.allowed-nodes",
        () -> c.getStringList("cluster.allowed-nodes"))) {
      try {
        allowed.add(UUID.fromString(raw.trim()).toString());
      } catch (IllegalArgumentException e) {
        throw new SettingsException("cluster.allowed-nodes", "not a node UUID: '" + raw + "'");
      }
    }
    if (!tls) {
      refuseOffLoopback(root);
    }
    Path dir = Path.of(read("flocker.tls.dir", () -> c.getString("flocker.tls.dir")).trim());
    return new ClusterTlsSettings(tls,
        dir.resolve(read("flocker.tls.cluster-cert", () -> c.getString("flocker.tls.cluster-cert"))
            .trim()),
        dir.resolve(read("cluster.node-cert", () -> c.getString("cluster.node-cert")).trim()),
        dir.resolve(read("cluster.node-key", () -> c.getString("cluster.node-key")).trim()),
        Set.copyOf(allowed));
  }

  /** Reads the PEM files now, so a missing or expired one stops the agent before it binds. */
  public void checkFiles() {
    if (!tls) {
      return;
    }
    try {
      PemFiles.certificate(clusterCert, "cluster certificate");
      PemFiles.certificate(nodeCert, "node certificate");
      PemFiles.privateKey(nodeKey, "node key");
    } catch (FlockerTls.TlsSetupException e) {
      throw new SettingsException("cluster.tls", e.getMessage());
    }
  }

  /**
   * The Artery settings that {@code cluster.tls} stands for, to lay over the resolved config:
   * the switch decides the transport, so no file can leave the port plain by accident.
   */
  public static Config artery(Config resolved) {
    boolean tls;
    try {
      tls = resolved.getBoolean("flocker-docker.cluster.tls");
    } catch (ConfigException e) {
      return ConfigFactory.empty(); // create() reports the bad value as one line
    }
    return ConfigFactory.parseMap(tls
        ? Map.of("pekko.remote.artery.transport", "tls-tcp",
            "pekko.remote.artery.ssl.ssl-engine-provider", NodeCertSslEngineProvider.class.getName())
        : Map.of("pekko.remote.artery.transport", "tcp"));
  }

  private static void refuseOffLoopback(Config root) {
    String canonical = root.hasPath(CANONICAL_HOST) ? root.getString(CANONICAL_HOST).trim() : "";
    String bind = root.hasPath(BIND_HOST) ? root.getString(BIND_HOST).trim() : "";
    String exposed = !isLoopback(canonical) ? canonical : !bind.isEmpty() && !isLoopback(bind)
        ? bind : null;
    if (exposed != null) {
      String port = root.hasPath(CANONICAL_PORT) ? root.getString(CANONICAL_PORT) : "25520";
      throw new SettingsException("cluster.tls", "cluster port " + port + " on " + exposed
          + " is reachable from the network but cluster TLS is off: set"
          + " flocker-docker.cluster.tls = on with node.crt/node.key (flocker-docker ca node)"
          + " or bind to 127.0.0.1");
    }
  }

  /** Literal loopback names only: resolving a name here would make start-up depend on DNS. */
  static boolean isLoopback(String host) {
    String h = host.replaceAll("^\\[|\\]$", "");
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }

}
