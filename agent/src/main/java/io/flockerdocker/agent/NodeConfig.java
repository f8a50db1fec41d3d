package io.flockerdocker.agent;

import com.typesafe.config.ConfigUtil;
import io.flockerdocker.agent.flocker.FlockerTls;
import io.flockerdocker.agent.flocker.PemFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * {@code node-config}: prints one host's complete agent configuration (HOCON) that {@code agent
 * --config FILE} accepts as it is, so an operator (or the lab launcher) never hand-writes node
 * name, UUID, TLS files, cluster seeds and dataset root consistently across hosts.
 */
public final class NodeConfig {
  static final String USAGE = "node-config --name NAME --address ADDR --seeds ADDR[,ADDR...]"
      + " --control URL --tls-dir D --data-root DIR [--backend directory|shared]"
      + " [--socket PATH] [--status-port P] [--uuid U]";
  static final int CLUSTER_PORT = 25520;
  private final PrintStream out;

  public NodeConfig(PrintStream out) {
    this.out = out;
  }

  public int run(String[] argv) {
    Args a = Args.parse(argv, Set.of("--name", "--address", "--seeds", "--control", "--tls-dir",
        "--data-root", "--backend", "--socket", "--status-port", "--uuid"), Set.of());
    a.positionals(0, "no positional arguments");
    String name = a.required("--name");
    String address = a.required("--address");
    Path tlsDir = Path.of(a.required("--tls-dir"));
    String backend = a.optional("--backend", "directory");
    if (!backend.equals("directory") && !backend.equals("shared")) {
      throw new Args.UsageException("--backend must be directory or shared, got '" + backend
          + "'");
    }
    Path dataRoot = Path.of(a.required("--data-root"));
    if (!dataRoot.isAbsolute()) {
      throw new Args.UsageException("--data-root must be an absolute path, got " + dataRoot);
    }
    String uuid = a.optional("--uuid", null);
    uuid = uuid == null ? uuidFromCertificate(tlsDir.resolve("node.crt")) : checkUuid(uuid);
    List<String> lines = new ArrayList<>();
    lines.add("# flocker-docker agent on " + name + " (written by flocker-docker node-config)");
    lines.add("flocker-docker {");
    lines.add("  node.name = " + q(name));
    lines.add("  node.uuid = " + q(uuid));
    lines.add("  plugin.socket = " + q(a.optional("--socket", "/run/docker/plugins/flocker.sock")));
    lines.add("  flocker {");
    lines.add("    url = " + q(a.required("--control")));
    lines.add("    tls {");
    lines.add("      dir = " + q(tlsDir.toAbsolutePath().toString()));
    lines.add("      cluster-cert = \"cluster.crt\"");
    lines.add("      # the node certificate: reports are taken only from node-<uuid>");
    lines.add("      client-cert = \"node.crt\"");
    lines.add("      client-key = \"node.key\"");
    lines.add("    }");
    lines.add("  }");
    lines.add("  dataset {");
    lines.add("    backend = " + backend);
    lines.add("    root = " + q(dataRoot.toString()));
    lines.add("    advertise-host = " + q(address));
    lines.add("  }");
    lines.add("  # the cluster port: mutual TLS with node.crt/node.key of the tls dir above");
    lines.add("  cluster.tls = on");
    lines.add("  state-dir = \"/var/lib/flocker-docker\"");
    lines.add("  status.port = " + a.intValue("--status-port", 4530, 1, 65535));
    lines.add("}");
    lines.add("pekko.remote.artery.canonical.hostname = " + q(address));
    lines.add("pekko.remote.artery.canonical.port = " + CLUSTER_PORT);
    lines.add("pekko.cluster.seed-nodes = [" + String.join(", ",
        seeds(a.required("--seeds")).stream().map(NodeConfig::q).toList()) + "]");
    lines.forEach(out::println);
    return 0;
  }

  /** "HOST" or "HOST:PORT" (IPv6 as "[::1]:PORT") to the member address Pekko seeds with. */
  static List<String> seeds(String raw) {
    List<String> out = new ArrayList<>();
    for (String seed : raw.split(",")) {
      String s = seed.trim();
      if (s.isEmpty()) {
        throw new Args.UsageException("--seeds has an empty entry: '" + raw + "'");
      }
      boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.contains(":");
      out.add("pekko://flocker-docker@" + (hasPort ? s : s + ":" + CLUSTER_PORT));
    }
    return out;
  }

  /** Flocker names a node certificate's subject CN=node-<uuid>. */
  static String uuidFromCertificate(Path cert) {
    String subject;
    try {
      subject = PemFiles.certificate(cert, "node certificate").getSubjectX500Principal()
          .getName();
    } catch (FlockerTls.TlsSetupException e) {
      throw new Args.UsageException(e.getMessage() + " (or pass --uuid)");
    }
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        String v = rdn.getValue().toString();
        if (rdn.getType().equalsIgnoreCase("CN") && v.startsWith("node-")) {
          return checkUuid(v.substring("node-".length()));
        }
      }
    } catch (InvalidNameException e) {
      // falls through to the message below
    }
    throw new Args.UsageException(cert + " is not a node certificate (subject " + subject
        + ", expected CN=node-<uuid>); pass --uuid");
  }

  private static String checkUuid(String raw) {
    try {
      return UUID.fromString(raw).toString();
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException("not a node UUID: '" + raw + "'");
    }
  }

  private static String q(String s) {
    return ConfigUtil.quoteString(s);
  }
}
