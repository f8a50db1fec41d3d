package io.flockerdocker.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Command line of {@code control}: {@code --port P --data DIR [--tls-dir D] [--listen ADDR]}.
 * Parsing only; any problem is an IllegalArgumentException whose message is the one-line reason.
 */
record ControlArgs(boolean help, int port, Path dataDir, Path tlsDir, String listen) {

  static final String USAGE = String.join("\n",
      "usage: control --port P --data DIR [--tls-dir D] [--listen ADDR]",
      "  --port P       REST API port (Flocker's is 4523; 0 = a free port)",
      "  --data DIR     where configuration.json (datasets and leases) is kept",
      "  --tls-dir D    serve HTTPS with mutual TLS from D/cluster.crt, control-service.crt/.key",
      "  --listen ADDR  address to listen on (default 127.0.0.1); any other than loopback",
      "                 needs --tls-dir");

  static ControlArgs parse(String[] args) {
    boolean help = false;
    Integer port = null;
    Path data = null;
    Path tls = null;
    String listen = "127.0.0.1";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--port" -> port = port(value(args, ++i, a));
        case "--data" -> data = Path.of(value(args, ++i, a));
        case "--tls-dir" -> tls = Path.of(value(args, ++i, a));
        case "--listen" -> listen = value(args, ++i, a);
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    if (help) {
      return new ControlArgs(true, 0, null, null, listen);
    }
    if (port == null) {
      throw new IllegalArgumentException("--port P is required");
    }
    if (data == null) {
      throw new IllegalArgumentException("--data DIR is required");
    }
    if (tls == null && !isLoopback(listen)) {
      // without TLS anyone who reaches the port could rewrite the configuration and the state
      throw new IllegalArgumentException("--listen " + listen + " is not a loopback address: "
          + "serving other hosts needs --tls-dir (plain HTTP has no authentication)");
    }
    return new ControlArgs(false, port, data, tls, listen);
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--listen " + address + " does not resolve");
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int port(String text) {
    try {
      int v = Integer.parseInt(text);
      if (v < 0 || v > 65535) {
        throw new IllegalArgumentException("--port out of range: " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port is not a number: " + text);
    }
  }
}
