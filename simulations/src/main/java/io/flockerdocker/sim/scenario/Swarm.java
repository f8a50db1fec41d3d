package io.flockerdocker.sim.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Docker swarm over a DockerCluster's hosts, formed the way an operator does it: {@code swarm
 * init --advertise-addr} on host 1 (the manager), {@code swarm join} on the others. Every engine
 * loads the flocker plugin once, because an engine advertises a legacy (socket) plugin to Swarm
 * only after it has used it, and Swarm schedules flocker tasks only onto advertising nodes.
 */
public final class Swarm {
  /** One task of a service as the manager reports it; {@code host} is 0 while unassigned. */
  public record Task(String id, int host, String state, String desired, String err) {
    public boolean running() {
      return "running".equals(state) && "running".equals(desired);
    }
  }

  public static final String IMAGE = "busybox:local";
  static final Duration CALL = Duration.ofSeconds(60);
  private final DockerLab lab;
  private final Consumer<String> say;
  private final Map<String, Integer> hostByNode = new HashMap<>();
  private final List<String> nodeIds = new ArrayList<>();

  private Swarm(DockerLab lab, Consumer<String> say) {
    this.lab = lab;
    this.say = say;
  }

  /** Forms the swarm and waits until every node advertises the flocker volume plugin. */
  public static Swarm form(DockerCluster cluster, Consumer<String> say) {
    DockerLab lab = cluster.lab();
    Swarm s = new Swarm(lab, say);
    s.check(1, "swarm", "init", "--advertise-addr", lab.address(1));
    String token = s.check(1, "swarm", "join-token", "-q", "worker").strip();
    for (int h = 2; h <= lab.hosts(); h++) {
      s.check(h, "swarm", "join", "--token", token, "--advertise-addr", lab.address(h),
          lab.address(1) + ":2377");
    }
    for (int h = 1; h <= lab.hosts(); h++) {
      String id = s.check(h, "info", "--format", "{{.Swarm.NodeID}}").strip();
      s.nodeIds.add(id);
      s.hostByNode.put(id, h);
      // the engine loads (and from then on advertises) a socket plugin the first time it uses it
      String probe = "fd-plugin-probe-h" + h;
      s.check(h, "volume", "create", "-d", "flocker", probe);
      s.check(h, "volume", "rm", probe);
    }
    Instant start = Instant.now();
    s.awaitAdvertised(Duration.ofSeconds(90));
    say.accept("swarm of " + lab.hosts() + " nodes formed; flocker advertised by every node after "
        + Duration.between(start, Instant.now()).toMillis() + " ms");
    return s;
  }

  public DockerLab lab() {
    return lab;
  }

  /** The swarm node ID of host. */
  public String node(int host) {
    return nodeIds.get(host - 1);
  }

  public void drain(int host) {
    check(1, "node", "update", "--availability", "drain", node(host));
  }

  public void activate(int host) {
    check(1, "node", "update", "--availability", "active", node(host));
  }

  /**
   * {@code docker service create} of a busybox service with {@code volume} (driver flocker, no
   * copy-up) at /data, a 1 s stop grace period and {@code script} as its shell command; returns
   * at once (the caller waits for the tasks it expects). {@code extra}: more create flags.
   */
  public void createService(String name, String volume, int replicas, String script, String... extra) {
    createService(name, volume, true, replicas, script, extra);
  }

  /**
   * Same; {@code nocopy} false lets dockerd copy the image's /data into the volume, for which it
   * Mounts and Unmounts the volume while creating each task's container (a Mount during Prepare).
   */
  public void createService(String name, String volume, boolean nocopy, int replicas, String script,
      String... extra) {
    List<String> args = new ArrayList<>(List.of("service", "create", "--detach", "--no-resolve-image",
        "--name", name, "--replicas", Integer.toString(replicas), "--stop-grace-period", "1s",
        "--mount", "type=volume,source=" + volume + ",target=/data,volume-driver=flocker,volume-nocopy="
            + nocopy));
    args.addAll(List.of(extra));
    args.addAll(List.of(IMAGE, "sh", "-c", script));
    check(1, args.toArray(String[]::new));
  }

  /** A shell command for a task: {@code first}, then idle until stopped (exits at once on TERM). */
  public static String idleAfter(String first) {
    return first + "; trap 'exit 0' TERM; sleep 1000000 & wait";
  }

  /** Every task the manager knows for service, newest first (as {@code docker service ps}). */
  public List<Task> tasks(String service) {
    String ids = check(1, "service", "ps", "-q", "--no-trunc", service).strip();
    if (ids.isEmpty()) return List.of();
    List<String> args = new ArrayList<>(List.of("inspect", "--type", "task", "--format",
        "{{.ID}}|{{.NodeID}}|{{.Status.State}}|{{.DesiredState}}|{{.Status.Err}}"));
    args.addAll(List.of(ids.split("\\s+")));
    DockerLab.Result r = lab.docker(1, CALL, args.toArray(String[]::new));
    if (!r.ok()) return List.of(); // a task pruned between ps and inspect: the caller polls again
    List<Task> tasks = new ArrayList<>();
    for (String line : r.stdout().strip().split("\n")) {
      String[] f = line.split("\\|", 5);
      tasks.add(new Task(f[0], hostByNode.getOrDefault(f[1], 0), f[2], f[3], f[4]));
    }
    return tasks;
  }

  /** The tasks desired running and running. */
  public List<Task> running(String service) {
    return tasks(service).stream().filter(Task::running).toList();
  }

  /** Polls until exactly one task of service runs and it satisfies where; returns it. */
  public Task awaitOneRunning(String service, Predicate<Task> where, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    List<Task> last = List.of();
    while (Instant.now().isBefore(end)) {
      last = running(service);
      if (last.size() == 1 && where.test(last.get(0))) return last.get(0);
      sleep(200);
    }
    throw new IllegalStateException("service " + service + ": no single running task as wanted after "
        + timeout.toSeconds() + " s; tasks: " + tasks(service));
  }

  /** The container ID of a running task, on its host. */
  public String container(Task t) {
    return check(t.host(), "ps", "-q", "--no-trunc", "--filter",
        "label=com.docker.swarm.task.id=" + t.id()).strip();
  }

  /**
   * {@code docker stack rm}, repeated until it succeeds. The CLI removes the stack's networks right
   * after its services, and the manager refuses ("network ... is in use by task") while a removed
   * service's task is still shutting down (moby/moby#30942); a later try removes what is left.
   */
  public void removeStack(String stack, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    while (true) {
      DockerLab.Result r = lab.docker(1, CALL, "stack", "rm", stack);
      if (r.ok()) return;
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("docker stack rm " + stack + " still failing after "
            + timeout.toSeconds() + " s (" + (r.timedOut() ? "timed out" : "exit " + r.exitCode()) + "): "
            + r.stderr().strip());
      }
      say.accept("docker stack rm " + stack + " refused, retrying: " + r.stderr().strip());
      sleep(500);
    }
  }

  /** {@code docker -H host ...} that must exit 0; its stdout. */
  public String check(int host, String... args) {
    DockerLab.Result r = lab.docker(host, CALL, args);
    if (!r.ok()) {
      throw new IllegalStateException("host" + host + " docker " + String.join(" ", args) + " failed ("
          + (r.timedOut() ? "timed out" : "exit " + r.exitCode()) + "): " + r.stderr().strip());
    }
    return r.stdout();
  }

  private void awaitAdvertised(Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(end)) {
      boolean all = true;
      StringBuilder seen = new StringBuilder();
      for (String id : nodeIds) {
        String plugins = check(1, "node", "inspect", "--format",
            "{{range .Description.Engine.Plugins}}{{.Type}}/{{.Name}} {{end}}", id);
        seen.append(id, 0, 6).append(": ").append(plugins.strip()).append("; ");
        all &= (" " + plugins).contains(" Volume/flocker ");
      }
      if (all) return;
      last = seen.toString();
      sleep(500);
    }
    throw new IllegalStateException("not every swarm node advertises Volume/flocker after "
        + timeout.toSeconds() + " s: " + last);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
