package io.flockerdocker.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command line of {@code control}: {@code --port P --data DIR [--tls-dir D]
 * [--node NAME[=UUID][:ROOT]]... [--move-delay-ms M] [--bytes-per-second B]}. Parsing only;
 * any problem is an IllegalArgumentException whose message is the one-line reason.
 */
record ControlArgs(boolean help, int port, Path dataDir, Path tlsDir, List<NodeArg> nodes,
    long moveDelayMs, long bytesPerSecond) {

  static final String USAGE = String.join("\n",
      "usage: control --data DIR [--port P] [--tls-dir D] [--node NAME[=UUID][:ROOT]]...",
      "               [--move-delay-ms M] [--bytes-per-second B]",
      "  --port P             REST port on 127.0.0.1 (default 0 = a free port)",
      "  --data DIR           configuration.json, nodes.json and default node roots",
      "  --tls-dir D          serve HTTPS with mTLS from D/cluster.crt, control-service.crt/.key",
      "  --node NAME=UUID:ROOT  a node (repeatable; default node1 and node2, UUIDs kept in",
      "                       DIR/nodes.json; ROOT defaults to DIR/NAME/flocker)",
      "  --move-delay-ms M    extra time every move takes (default 0)",
      "  --bytes-per-second B simulated copy rate for moves (default 0 = unlimited)");

  /** One {@code --node} value; uuid and root are null when not given. */
  record NodeArg(String name, String uuid, Path root) {}

  static ControlArgs parse(String[] args) {
    boolean help = false;
    int port = 0;
    Path data = null;
    Path tls = null;
    long delay = 0;
    long rate = 0;
    List<NodeArg> nodes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--port" -> port = (int) number(a, value(args, ++i, a), 65535);
        case "--data" -> data = Path.of(value(args, ++i, a));
        case "--tls-dir" -> tls = Path.of(value(args, ++i, a));
        case "--node" -> nodes.add(node(value(args, ++i, a)));
        case "--move-delay-ms" -> delay = number(a, value(args, ++i, a), Long.MAX_VALUE);
        case "--bytes-per-second" -> rate = number(a, value(args, ++i, a), Long.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    if (!help && data == null) {
      throw new IllegalArgumentException("--data DIR is required");
    }
    if (nodes.stream().map(NodeArg::name).distinct().count() != nodes.size()) {
      throw new IllegalArgumentException("node names must be unique");
    }
    return new ControlArgs(help, port, data, tls, List.copyOf(nodes), delay, rate);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static long number(String flag, String text, long max) {
    try {
      long v = Long.parseLong(text);
      if (v < 0 || v > max) {
        throw new IllegalArgumentException(flag + " out of range: " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " is not a number: " + text);
    }
  }

  /** NAME[=UUID][:ROOT]; the UUID cannot contain ':' so the first ':' starts the root. */
  static NodeArg node(String spec) {
    String root = null;
    int colon = spec.indexOf(':');
    String head = spec;
    if (colon >= 0) {
      root = spec.substring(colon + 1);
      head = spec.substring(0, colon);
    }
    String uuid = null;
    int eq = head.indexOf('=');
    String name = head;
    if (eq >= 0) {
      uuid = head.substring(eq + 1).toLowerCase(Locale.ROOT);
      name = head.substring(0, eq);
    }
    if (name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("bad node name in --node " + spec);
    }
    if (uuid != null && !Schema.UUID_V4.matcher(uuid).matches()) {
      throw new IllegalArgumentException("node UUID must be a version-4 UUID: " + uuid);
    }
    if (root != null && root.isEmpty()) {
      throw new IllegalArgumentException("empty root in --node " + spec);
    }
    return new NodeArg(name, uuid, root == null ? null : Path.of(root));
  }
}
