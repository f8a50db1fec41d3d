package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Where one local agent keeps everything and which ports it uses: its HOCON config (written
 * here), plugin socket, state dir, dataset root ({@code mounts}), status, cluster and data-channel
 * ports. {@code dataAdvertisePort} is what other agents dial (the harness's {@link DataProxy});
 * {@code tlsDir} holds its node certificate when the cluster runs with TLS, else null.
 */
public record AgentLayout(
    int index,
    String name,
    String uuid,
    Path dir,
    Path socket,
    Path mounts,
    int statusPort,
    int clusterPort,
    int dataPort,
    int dataAdvertisePort,
    Path tlsDir) {

  public Path config() {
    return dir.resolve("agent.conf");
  }

  public Path log() {
    return dir.resolve("agent.log");
  }

  /** Where this agent serves release (root only); next to its directory, not /run. */
  public Path adminSocket() {
    return dir.resolve("admin").resolve("admin.sock");
  }

  public String statusUrl() {
    return "http://127.0.0.1:" + statusPort;
  }

  public String clusterAddress() {
    return "pekko://flocker-docker@127.0.0.1:" + clusterPort;
  }

  /** Writes the agent's config: its identity, paths, ports, and every node as a seed. */
  public void writeConfig(String controlUrl, List<AgentLayout> all, String extra)
      throws IOException {
    Files.createDirectories(dir);
    Files.createDirectories(socket.getParent());
    Files.createDirectories(mounts);
    String seeds = all.stream().map(a -> "\"" + a.clusterAddress() + "\"")
        .collect(Collectors.joining(", "));
    String conf = String.join("\n",
        "flocker-docker {",
        "  node.name = \"" + name + "\"",
        "  node.uuid = \"" + uuid + "\"",
        "  plugin.socket = \"" + socket + "\"",
        "  flocker.url = \"" + controlUrl + "\"",
        // without TLS the harness talks http:// on loopback, which the agent refuses by default
        tlsDir == null ? "  flocker.allow-plaintext = on" : "",
        "  state-dir = \"" + dir.resolve("state") + "\"",
        "  status.port = " + statusPort,
        "  status.admin-socket = \"" + adminSocket() + "\"",
        "  dataset {",
        "    root = \"" + mounts + "\"",
        "    advertise-host = \"127.0.0.1\"",
        "    port = " + dataPort,
        "    advertise-port = " + dataAdvertisePort,
        "    tls = " + (tlsDir == null ? "off" : "on"),
        // a local cluster moves small datasets: look for work often
        "    converge-interval = 100 ms",
        "    heartbeat = 1 s",
        "  }",
        // cluster port: node-certificate TLS with a CA; plain TCP only because it is loopback
        "  cluster.tls = " + (tlsDir == null ? "off" : "on"),
        tlsDir == null ? "" : "  flocker.tls { dir = \"" + tlsDir + "\", client-cert = node.crt,"
            + " client-key = node.key }",
        "}",
        "pekko.remote.artery.canonical.port = " + clusterPort,
        // every node is a seed; a restart must leave itself out (LocalCluster.restartAgent), or
        // a restarted first seed may join itself and form a second cluster
        "pekko.cluster.seed-nodes = [" + seeds + "]",
        "pekko.cluster.split-brain-resolver.stable-after = 5s",
        extra == null ? "" : extra,
        "");
    Files.writeString(config(), conf);
  }

  /** Ports handed out in this JVM: clusters run side by side must not be given the same one. */
  private static final Set<Integer> CLAIMED = ConcurrentHashMap.newKeySet();

  /** Listening ports are picked below this (Linux's default ephemeral range starts there). */
  private static final int EPHEMERAL_LOW = ephemeralLow();
  private static final int LOWEST = 10_000;

  /**
   * A free port for a listener, picked below the kernel's ephemeral range: a port from that range
   * can be taken by any outgoing connection (of another cluster run side by side, say) while its
   * agent is down for a kill-and-restart, and the restarted agent then cannot listen again. A
   * chaos seed failed that way (node3's data port) before ports were picked here.
   */
  static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 10_000; attempt++) {
      int port = random.nextInt(LOWEST, EPHEMERAL_LOW);
      if (bindable(port) && claim(port)) {
        return port;
      }
    }
    throw new IOException("no free port between " + LOWEST + " and " + EPHEMERAL_LOW);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > LOWEST + 1000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /**
   * Records {@code port} as taken by a cluster of this JVM (a stopped control service keeps its
   * port for its restart); false if it already was.
   */
  static boolean claim(int port) {
    return CLAIMED.add(port);
  }
}
