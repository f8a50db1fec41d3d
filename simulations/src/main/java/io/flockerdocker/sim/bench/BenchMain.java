package io.flockerdocker.sim.bench;

import io.flockerdocker.sim.Args;
import io.flockerdocker.sim.scenario.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code bench latency|move|scale|contention|control [--json] [--requests N] [--volumes N]
 * [--seconds S] [--move-mib M] [--nodes H] [--keep]}: runs one suite against a fresh local cluster in a temp dir and prints
 * its table (and, with --json, one JSON object as the last stdout line). Progress goes to stderr.
 */
public final class BenchMain {
  private BenchMain() {}

  /** What a suite gets: the parsed options and a directory of its own. */
  record Options(boolean json, int requests, int volumes, int seconds, int moveMib, int nodes,
      Path dir) {}

  /** One suite. */
  interface Suite {
    Report run(Options options) throws Exception;
  }

  public static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--requests", "--volumes", "--seconds", "--move-mib", "--nodes"),
        Set.of("--json", "--keep"));
    String suite =
        a.positionals(1, "one suite: latency, move, scale, contention or control").get(0);
    Suite s = switch (suite) {
      case "latency" -> LatencyBench::run;
      case "move" -> MoveBench::run;
      case "scale" -> ScaleBench::run;
      case "contention" -> ContentionBench::run;
      case "control" -> ControlBench::run;
      default -> throw new Args.UsageException("unknown suite '" + suite
          + "': latency, move, scale, contention or control");
    };
    Path dir = Files.createTempDirectory("fd-bench-" + suite);
    Options o = new Options(a.flag("--json"), a.intValue("--requests", 5_000, 100, 10_000_000),
        a.intValue("--volumes", 10_000, 1, 100_000), a.intValue("--seconds", 60, 1, 3600),
        a.intValue("--move-mib", 1024, 1, 65536), a.intValue("--nodes", 3, 1, 200), dir);
    long started = System.nanoTime();
    boolean ok = false;
    try {
      Report r = s.run(o);
      r.put("suite_seconds", (System.nanoTime() - started) / 1e9);
      r.print(System.out, o.json());
      ok = true;
      return 0;
    } finally {
      if (ok && !a.flag("--keep")) {
        deleteTree(dir);
      } else {
        say("agent logs kept under " + dir);
      }
    }
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
