package io.flockerdocker.sim.scenario;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the killer demo on a local 2-node cluster. node1 creates volume {@code demo}
 * and writes {@code fish} through the Mountpoint it returned, unmounts; node2 mounts it (the
 * dataset moves) and prints the file, whose content is the last line on stdout. {@code --docker}
 * runs it on two real dockerd hosts ({@link DockerDemo}), {@code --swarm} on a swarm of three
 * ({@link SwarmDemo}).
 */
@Command(name = "demo", usageHelpWidth = 100, synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker demo [--docker | --swarm]",
    description = "the demo; the last stdout line is \"fish\"")
public final class DemoMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true)
  boolean help;

  @Option(names = "--docker")
  boolean docker;

  @Option(names = "--swarm")
  boolean swarm;

  @Spec CommandSpec spec;

  /**
   * The command; its {@code --help} is the contract's usage line alone (LauncherIT), which says
   * all there is about the two flags.
   */
  public static CommandLine commandLine() {
    CommandLine demo = new CommandLine(new DemoMain());
    demo.setHelpSectionKeys(List.of(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
        UsageMessageSpec.SECTION_KEY_SYNOPSIS));
    return demo;
  }

  @Override
  public Integer call() throws Exception {
    if (docker && swarm) {
      throw new ParameterException(spec.commandLine(),
          "--docker and --swarm are two different demos: give one");
    }
    if (swarm) {
      return SwarmDemo.run();
    }
    if (docker) {
      return DockerDemo.run();
    }
    return local();
  }

  private static int local() throws Exception {
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
