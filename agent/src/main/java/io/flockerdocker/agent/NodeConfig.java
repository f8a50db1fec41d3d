package io.flockerdocker.agent;

import com.typesafe.config.ConfigUtil;
import io.flockerdocker.agent.flocker.FlockerTls;
import io.flockerdocker.agent.flocker.PemFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code node-config}: prints one host's complete agent configuration (HOCON) that {@code agent
 * --config FILE} accepts as it is, so an operator (or the lab launcher) never hand-writes node
 * name, UUID, TLS files, cluster seeds and dataset root consistently across hosts.
 */
@Command(name = "node-config", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker " + NodeConfig.USAGE, optionListHeading = "",
    description = "prints one host's agent config (HOCON) on stdout")
public final class NodeConfig implements Callable<Integer> {
  static final String USAGE = "node-config --name NAME --address ADDR --seeds ADDR[,ADDR...]"
      + " --control URL --tls-dir D --data-root DIR [--backend directory|shared]"
      + " [--socket PATH] [--status-port P] [--uuid U]";
  static final int CLUSTER_PORT = 25520;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Option(names = "--name", paramLabel = "NAME", required = true,
      description = "the node's name (node.name)")
  String name;

  @Option(names = "--address", paramLabel = "ADDR", required = true,
      description = "the host's address other hosts reach it on")
  String address;

  @Option(names = "--seeds", paramLabel = "ADDR[,ADDR...]", required = true,
      description = "cluster seed hosts, HOST or HOST:PORT (default port " + CLUSTER_PORT + ")")
  String seeds;

  @Option(names = "--control", paramLabel = "URL", required = true,
      description = "the control service's URL")
  String control;

  @Option(names = "--tls-dir", paramLabel = "D", required = true,
      description = "this host's directory from `ca node` (cluster.crt, node.crt/.key)")
  Path tlsDir;

  @Option(names = "--data-root", paramLabel = "DIR", required = true,
      description = "absolute path under which datasets live")
  Path dataRoot;

  @Option(names = "--backend", paramLabel = "directory|shared", defaultValue = "directory",
      description = "the dataset backend (default ${DEFAULT-VALUE})")
  String backend;

  @Option(names = "--socket", paramLabel = "PATH",
      defaultValue = "/run/docker/plugins/flocker.sock",
      description = "the plugin socket (default ${DEFAULT-VALUE})")
  String socket;

  @Option(names = "--status-port", paramLabel = "P", defaultValue = "4530",
      description = "the status HTTP port (default ${DEFAULT-VALUE})")
  int statusPort;

  @Option(names = "--uuid", paramLabel = "U",
      description = "the node UUID (default: from the CN of TLS_DIR/node.crt)")
  String uuid;

  @Spec CommandSpec spec;

  private final PrintStream out;

  public NodeConfig(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (!backend.equals("directory") && !backend.equals("shared")) {
      throw usage("--backend must be directory or shared, got '" + backend + "'");
    }
    if (!dataRoot.isAbsolute()) {
      throw usage("--data-root must be an absolute path, got " + dataRoot);
    }
    if (statusPort < 1 || statusPort > 65535) {
      throw usage("--status-port must be between 1 and 65535, got " + statusPort);
    }
    List<String> seedAddresses = seeds(seeds);
    String nodeUuid = uuid == null ? uuidFromCertificate(tlsDir.resolve("node.crt"))
        : checkUuid(uuid);
    List<String> lines = new ArrayList<>();
    lines.add("# flocker-docker agent on " + name + " (written by flocker-docker node-config)");
    lines.add("flocker-docker {");
    lines.add("  node.name = " + q(name));
    lines.add("  node.uuid = " + q(nodeUuid));
    lines.add("  plugin.socket = " + q(socket));
    lines.add("  flocker {");
    lines.add("    url = " + q(control));
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
    lines.add("  status.port = " + statusPort);
    lines.add("}");
    lines.add("pekko.remote.artery.canonical.hostname = " + q(address));
    lines.add("pekko.remote.artery.canonical.port = " + CLUSTER_PORT);
    lines.add("pekko.cluster.seed-nodes = [" + String.join(", ",
        seedAddresses.stream().map(NodeConfig::q).toList()) + "]");
    lines.forEach(out::println);
    return 0;
  }

  /** "HOST" or "HOST:PORT" (IPv6 as "[::1]:PORT") to the member address Pekko seeds with. */
  private List<String> seeds(String raw) {
    List<String> out = new ArrayList<>();
    for (String seed : raw.split(",")) {
      String s = seed.trim();
      if (s.isEmpty()) {
        throw usage("--seeds has an empty entry: '" + raw + "'");
      }
      boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.contains(":");
      out.add("pekko://flocker-docker@" + (hasPort ? s : s + ":" + CLUSTER_PORT));
    }
    return out;
  }

  /** Flocker names a node certificate's subject CN=node-<uuid>. */
  private String uuidFromCertificate(Path cert) {
    String subject;
    try {
      subject = PemFiles.certificate(cert, "node certificate").getSubjectX500Principal()
          .getName();
    } catch (FlockerTls.TlsSetupException e) {
      throw usage(e.getMessage() + " (or pass --uuid)");
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
    throw usage(cert + " is not a node certificate (subject " + subject
        + ", expected CN=node-<uuid>); pass --uuid");
  }

  private String checkUuid(String raw) {
    try {
      return UUID.fromString(raw).toString();
    } catch (IllegalArgumentException e) {
      throw usage("not a node UUID: '" + raw + "'");
    }
  }

  private ParameterException usage(String reason) {
    return new ParameterException(spec.commandLine(), reason);
  }

  private static String q(String s) {
    return ConfigUtil.quoteString(s);
  }
}
