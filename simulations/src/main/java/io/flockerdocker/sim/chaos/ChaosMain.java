package io.flockerdocker.sim.chaos;

import io.flockerdocker.agent.Args;
import io.flockerdocker.sim.scenario.LocalCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * {@code chaos --nodes N --seeds S --steps K [--seed X]}: seeds 1..S (or only X) against one real
 * local cluster, reused between seeds (each seed has its own volume names and ends quiet). Prints
 * each failing seed with its violations and a last stdout line {@code N passed, M failed}.
 */
public final class ChaosMain {
  private ChaosMain() {}

  /** The outcome of a run: violations per failing seed, in seed order. */
  public record Summary(int passed, Map<Long, List<String>> failures) {
    public String line() {
      return passed + " passed, " + failures.size() + " failed";
    }
  }

  public static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--nodes", "--seeds", "--steps", "--seed"), Set.of());
    a.positionals(0, "no positional arguments");
    int nodes = a.intValue("--nodes", 3, 3, 9);
    int seeds = a.intValue("--seeds", 1, 1, 100_000);
    int steps = a.intValue("--steps", 50, 1, 100_000);
    String one = a.optional("--seed", null);
    List<Long> list;
    try {
      list = one == null ? LongStream.rangeClosed(1, seeds).boxed().toList()
          : List.of(Long.parseLong(one.trim()));
    } catch (NumberFormatException e) {
      throw new Args.UsageException("--seed must be an integer, got " + one);
    }
    Summary s = run(nodes, list, steps, System.err);
    System.out.println(s.line());
    return s.failures().isEmpty() ? 0 : 1;
  }

  /** Runs {@code seeds} on a fresh cluster of {@code nodes} agents under a temporary directory. */
  public static Summary run(int nodes, List<Long> seeds, int steps, PrintStream err)
      throws Exception {
    Path dir = Files.createTempDirectory("fd-chaos");
    err.println("chaos: starting control service and " + nodes + " agents under " + dir);
    Map<Long, List<String>> failures = new LinkedHashMap<>();
    int passed = 0;
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(nodes, dir), Duration.ofSeconds(180));
        Calls calls = new Calls();
        Nodes handle = new Nodes(cluster)) {
      for (long seed : seeds) {
        err.println("chaos: seed " + seed + ": " + steps + " steps");
        List<String> violations;
        try {
          violations = new ChaosRun(cluster, handle, calls, seed, steps).run();
        } catch (Exception e) {
          violations = new ArrayList<>(List.of("seed " + seed + " aborted: " + e));
          e.printStackTrace(err);
        }
        if (violations.isEmpty()) {
          passed++;
          err.println("chaos: seed " + seed + " passed");
        } else {
          failures.put(seed, violations);
          err.println("chaos: seed " + seed + " FAILED (replay: bin/flocker-docker chaos --nodes "
              + nodes + " --steps " + steps + " --seed " + seed + ")");
          violations.forEach(v -> err.println("chaos:   " + v));
        }
      }
    }
    if (failures.isEmpty()) {
      LocalCluster.deleteTree(dir);
    } else {
      err.println("chaos: agent logs kept under " + dir);
    }
    return new Summary(passed, failures);
  }
}
