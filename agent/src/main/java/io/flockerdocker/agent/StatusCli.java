package io.flockerdocker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.agent.status.AdminRoutes;
import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code status} and {@code release}: operator commands; status reads a node's status endpoint
 * with the JDK HTTP client, release posts to this host's admin socket (no actor system). Tables
 * and JSON go to stdout, reasons to stderr; exit 1 when the node is unreachable or not ready, or
 * when a release is refused; exit 2 with one line for a bad command line.
 */
public final class StatusCli {
  /** The status.port default of reference.conf, on loopback. */
  public static final String DEFAULT_URL = "http://127.0.0.1:4530";
  /** Force on a reachable holder needs this too: it breaks the mounts of running containers. */
  public static final String CONFIRM_FLAG = "--" + AdminRoutes.CONFIRM;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final PrintStream out;
  private final PrintStream err;
  private HttpClient http; // made on first use: the other subcommands need no client threads

  public StatusCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** {@code flocker-docker status ARGV} on this CLI's streams; returns the exit code. */
  public int status(String... argv) {
    return Main.run(out, err, subcommand("status", argv));
  }

  /** {@code flocker-docker release ARGV} on this CLI's streams; returns the exit code. */
  public int release(String... argv) {
    return Main.run(out, err, subcommand("release", argv));
  }

  @Command(name = "status", sortOptions = false, usageHelpWidth = 100,
      synopsisHeading = "usage: ",
      customSynopsis = "flocker-docker status [--url URL] [--json] [--watch]",
      optionListHeading = "",
      description = "the cluster status from a node's status endpoint; exit 1 when not ready")
  static final class Status implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
        description = "the node's status endpoint (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--json", description = "the /v1/status JSON instead of a table")
    boolean json;

    @Option(names = "--watch", description = "refresh every 2 s until Ctrl-C")
    boolean watch;

    @Spec CommandSpec spec;

    private final StatusCli cli;

    Status(StatusCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      String base = base(url);
      if (!watch) {
        return cli.once(base, json);
      }
      while (true) { // until Ctrl-C ends the JVM
        cli.out.print("\033[H\033[2J");
        cli.once(base, json);
        cli.out.flush();
        Thread.sleep(2000);
      }
    }

    private String base(String url) {
      try {
        URI u = URI.create(url.replaceAll("/+$", ""));
        if (!"http".equals(u.getScheme()) || u.getHost() == null) {
          throw new IllegalArgumentException();
        }
        return u.toString();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(),
            "--url must be http://HOST:PORT, got " + url);
      }
    }
  }

  /**
   * Release goes to the admin unix socket of the agent on this host, never over TCP: only root
   * (or status.admin-group) may drop a lease. {@code --url} is still accepted for old scripts
   * and ignored, with a note saying so.
   */
  @Command(name = "release", sortOptions = false, usageHelpWidth = 100,
      synopsisHeading = "usage: ",
      customSynopsis = "flocker-docker release VOLUME --from NODE [--socket PATH]"
          + " [--force [" + CONFIRM_FLAG + "]] [--url URL]",
      optionListHeading = "",
      description = {
          "operator recovery: drops the lease (with --force also the mounts) NODE holds on VOLUME",
          "through the admin socket of the agent on this host; run as root (or a member of",
          "status.admin-group)."})
  static final class Release implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Parameters(paramLabel = "VOLUME", description = "the volume's name")
    String volume;

    @Option(names = "--from", paramLabel = "NODE", required = true,
        description = "the node whose lease (and mounts) to drop")
    String from;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = AdminClient.DEFAULT_PATH,
        description = "the agent's status.admin-socket (default ${DEFAULT-VALUE})")
    Path socket;

    @Option(names = "--force", description = {
        "also forget NODE's mounts of VOLUME: for a node whose dockerd lost the",
        "containers. Accepted alone only while NODE is unreachable."})
    boolean force;

    @Option(names = CONFIRM_FLAG, description = {
        "with --force on a reachable NODE: its running containers keep writing",
        "to a volume that moves away under them (their writes are lost or split).",
        "Stop them first."})
    boolean confirmed;

    @Option(names = "--url", paramLabel = "URL",
        description = "ignored (release is not served over TCP any more); kept for old scripts")
    String url;

    @Spec CommandSpec spec;

    private final StatusCli cli;

    Release(StatusCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      if (confirmed && !force) {
        throw new ParameterException(spec.commandLine(),
            CONFIRM_FLAG + " only goes with --force");
      }
      if (url != null) {
        cli.err.println("flocker-docker release: note: --url is ignored; release uses the admin"
            + " socket " + socket + " of the agent on this host");
      }
      return cli.release(socket, volume, from, force, confirmed);
    }
  }

  private int release(Path socket, String volume, String from, boolean force,
      boolean confirmed) {
    String path = "/v1/volumes/" + encode(volume) + "/release?from=" + encode(from)
        + (force ? "&force=true" : "")
        + (confirmed ? "&" + AdminRoutes.CONFIRM + "=true" : "");
    AdminClient.Reply r;
    try {
      r = AdminClient.post(socket, path);
    } catch (AdminClient.Unreachable e) {
      err.println("flocker-docker release: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("flocker-docker release: the admin socket " + socket + " failed: " + reason(e));
      return 1;
    }
    if (r.status() == 200) {
      out.println("released volume " + volume + " from " + from);
      return 0;
    }
    err.println("flocker-docker release: " + field(r.body(), "error", "HTTP " + r.status()));
    return 1;
  }

  private static String[] subcommand(String name, String[] argv) {
    String[] args = new String[argv.length + 1];
    args[0] = name;
    System.arraycopy(argv, 0, args, 1, argv.length);
    return args;
  }

  private int once(String url, boolean json) throws InterruptedException {
    HttpResponse<String> status;
    HttpResponse<String> ready;
    try {
      status = get(url + "/v1/status");
      ready = get(url + "/health/ready");
    } catch (IOException e) {
      err.println("flocker-docker status: cannot reach the agent at " + url + ": " + reason(e));
      return 1;
    }
    if (status.statusCode() != 200) {
      err.println("flocker-docker status: " + url + "/v1/status answered HTTP "
          + status.statusCode());
      return 1;
    }
    if (json) {
      out.println(status.body());
    } else {
      out.print(table(status.body()));
    }
    if (ready.statusCode() != 200) {
      err.println("flocker-docker status: node is not ready: "
          + field(ready.body(), "reason", "HTTP " + ready.statusCode()));
      return 1;
    }
    return 0;
  }

  /** The human view of a /v1/status body: this node, then members, then volumes. */
  static String table(String body) {
    JsonNode s;
    try {
      s = Json.mapper().readTree(body);
    } catch (IOException e) {
      return "unreadable status: " + e.getMessage() + "\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("node ").append(s.path("node").asText()).append(" (").append(s.path("uuid").asText())
        .append("), ").append(s.path("ready").asBoolean() ? "ready" : "NOT READY").append("\n\n");
    List<String[]> nodes = new ArrayList<>();
    nodes.add(new String[] {"NODE", "STATUS", "REACHABLE", "ADDRESS"});
    s.path("members").forEach(m -> nodes.add(new String[] {m.path("name").asText(),
        m.path("status").asText(), m.path("reachable").asBoolean() ? "yes"
            : "no" + (m.path("unreachableSince").isTextual()
                ? " (since " + m.path("unreachableSince").asText() + ")" : ""),
        m.path("address").asText()}));
    columns(b, nodes);
    b.append("\n");
    List<String[]> volumes = new ArrayList<>();
    volumes.add(new String[] {"VOLUME", "PRIMARY", "MOUNTED ON", "MOUNTS", "STATE"});
    s.path("volumes").forEach(v -> volumes.add(new String[] {v.path("name").asText(),
        text(v.path("primary")), text(v.path("mountedOn")), v.path("mounts").asText(),
        v.path("state").asText()}));
    if (volumes.size() == 1) {
      b.append("no volumes\n");
    } else {
      columns(b, volumes);
    }
    return b.toString();
  }

  private static void columns(StringBuilder b, List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    });
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      b.append(line.toString().stripTrailing()).append("\n");
    }
  }

  private static String text(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "-" : n.asText();
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String body, String name, String fallback) {
    try {
      JsonNode n = Json.mapper().readTree(body).get(name);
      return n == null ? fallback : n.asText();
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return e instanceof java.net.ConnectException
        ? "connection refused (is the agent running, and is status.port right?)"
        : e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
