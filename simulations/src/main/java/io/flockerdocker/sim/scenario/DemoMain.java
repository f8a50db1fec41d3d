package io.flockerdocker.sim.scenario;

import io.flockerdocker.sim.Args;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code demo}: the killer demo on a local 2-node cluster. node1 creates volume {@code demo}
 * and writes {@code fish} through the Mountpoint it returned, unmounts; node2 mounts it (the
 * dataset moves) and prints the file, whose content is the last line on stdout.
 */
public final class DemoMain {
  private DemoMain() {}

  public static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv, Set.of(), Set.of("--docker", "--swarm"));
    a.positionals(0, "no positional arguments");
    if (a.flag("--docker") && a.flag("--swarm")) {
      throw new Args.UsageException("--docker and --swarm are two different demos: give one");
    }
    if (a.flag("--swarm")) {
      return SwarmDemo.run();
    }
    if (a.flag("--docker")) {
      return DockerDemo.run();
    }
    Path dir = Files.createTempDirectory("fd-demo");
    boolean passed = false;
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(2, dir),
        Duration.ofSeconds(120))) {
      say("cluster up: control service " + cluster.control().url() + ", node1, node2");
      String content;
      try (PluginClient node1 = new PluginClient(cluster.agent(1).layout().socket());
          PluginClient node2 = new PluginClient(cluster.agent(2).layout().socket())) {
        check("node1 Create demo", node1.create("demo", Map.of()));
        PluginClient.Reply m1 = check("node1 Mount demo", node1.mount("demo", "demo-1"));
        Files.writeString(Path.of(m1.mountpoint(), "file"), "fish\n");
        say("node1 wrote fish to " + m1.mountpoint() + "/file");
        check("node1 Unmount demo", node1.unmount("demo", "demo-1"));
        PluginClient.Reply m2 = check("node2 Mount demo", node2.mount("demo", "demo-2"));
        say("node2 mounted demo at " + m2.mountpoint());
        content = Files.readString(Path.of(m2.mountpoint(), "file"), StandardCharsets.UTF_8)
            .trim();
        check("node2 Unmount demo", node2.unmount("demo", "demo-2"));
      }
      System.out.println(content);
      passed = "fish".equals(content);
      return passed ? 0 : 1;
    } finally {
      if (passed) {
        LocalCluster.deleteTree(dir);
      } else {
        say("failed; logs kept under " + dir);
      }
    }
  }

  private static PluginClient.Reply check(String what, PluginClient.Reply r) {
    if (!r.ok()) {
      throw new IllegalStateException(what + " failed: HTTP " + r.status() + " " + r.body());
    }
    say(what + ": ok" + (r.mountpoint().isEmpty() ? "" : " (" + r.mountpoint() + ")"));
    return r;
  }

  private static void say(String line) {
    System.err.println("demo: " + line);
  }
}
