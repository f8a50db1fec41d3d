package io.flockerdocker.sim.bench;

import io.flockerdocker.sim.scenario.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench latency|move|scale|contention|control [--json] [--requests N] [--volumes N]
 * [--seconds S] [--move-mib M] [--nodes H] [--keep]}: runs one suite against a fresh local cluster in a temp dir and prints
 * its table (and, with --json, one JSON object as the last stdout line). Progress goes to stderr.
 */
@Command(name = "bench", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker bench latency|move|scale|contention|control [--json]",
    optionListHeading = "",
    description = {"one benchmark suite against a fresh local cluster",
        "a table on stdout (with --json one JSON object as the last line); progress on stderr"})
public final class BenchMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Parameters(paramLabel = "SUITE", description = "latency, move, scale, contention or control")
  String suite;

  @Option(names = "--json", description = "also one JSON object as the last stdout line")
  boolean json;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "5000",
      description = "latency: requests per measurement (100 to 10000000, default"
          + " ${DEFAULT-VALUE})")
  int requests;

  @Option(names = "--volumes", paramLabel = "N", defaultValue = "10000",
      description = "scale, control: volumes (1 to 100000, default ${DEFAULT-VALUE})")
  int volumes;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "60",
      description = "contention: how long to run (1 to 3600, default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--move-mib", paramLabel = "M", defaultValue = "1024",
      description = "move: MiB of files moved (1 to 65536, default ${DEFAULT-VALUE})")
  int moveMib;

  @Option(names = "--nodes", paramLabel = "H", defaultValue = "3",
      description = "scale: hosts with an agent (1 to 200, default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--keep", description = "keep the suite's directory (agent logs) afterwards")
  boolean keep;

  @Spec CommandSpec spec;

  /** What a suite gets: the parsed options and a directory of its own. */
  record Options(boolean json, int requests, int volumes, int seconds, int moveMib, int nodes,
      Path dir) {}

  /** One suite. */
  interface Suite {
    Report run(Options options) throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    Suite s = switch (suite) {
      case "latency" -> LatencyBench::run;
      case "move" -> MoveBench::run;
      case "scale" -> ScaleBench::run;
      case "contention" -> ContentionBench::run;
      case "control" -> ControlBench::run;
      default -> throw usage("unknown suite '" + suite
          + "': latency, move, scale, contention or control");
    };
    within("--requests", requests, 100, 10_000_000);
    within("--volumes", volumes, 1, 100_000);
    within("--seconds", seconds, 1, 3600);
    within("--move-mib", moveMib, 1, 65536);
    within("--nodes", nodes, 1, 200);
    Path dir = Files.createTempDirectory("fd-bench-" + suite);
    Options o = new Options(json, requests, volumes, seconds, moveMib, nodes, dir);
    long started = System.nanoTime();
    boolean ok = false;
    try {
      Report r = s.run(o);
      r.put("suite_seconds", (System.nanoTime() - started) / 1e9);
      r.print(System.out, o.json());
      ok = true;
      return 0;
    } finally {
      if (ok && !keep) {
        deleteTree(dir);
      } else {
        say("agent logs kept under " + dir);
      }
    }
  }

  private void within(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw usage(option + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private ParameterException usage(String reason) {
    return new ParameterException(spec.commandLine(), reason);
  }

  static void say(String line) {
    System.err.println("bench: " + line);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static LocalCluster.Options cluster(int nodes, Options o) {
    // agents run with the JVM flags of a real host (C2 included), not the tests' C1-only start
    return LocalCluster.Options.of(nodes, o.dir().resolve("cluster")).withProductionJvm();
  }
}
