package io.flockerdocker.sim.chaos;

import io.flockerdocker.sim.scenario.LocalCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chaos --nodes N --seeds S --steps K [--seed X] [--parallel P]}: seeds 1..S (or only X)
 * against a real local cluster, reused between seeds (each seed has its own volume names and ends
 * quiet). With {@code --parallel P} the seeds are dealt round-robin to P independent clusters run
 * side by side (a run mostly waits on timers and moves, so lanes overlap well); with {@code
 * --plain-control} the control service runs without its extensions. Prints each
 * failing seed with its violations and a last stdout line {@code N passed, M failed}.
 */
@Command(name = "chaos", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker chaos --nodes N --seeds S --steps K [--seed X]",
    optionListHeading = "",
    description = {"seeded fault-injection runs against a local cluster",
        "prints each failing seed and a last stdout line \"N passed, M failed\""})
public final class ChaosMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
      description = "node agents (3 to 9, default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--seeds", paramLabel = "S", defaultValue = "1",
      description = "run seeds 1..S (1 to 100000, default ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--steps", paramLabel = "K", defaultValue = "50",
      description = "steps per seed (1 to 100000, default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--seed", paramLabel = "X",
      description = "run only seed X (a failing seed's replay), instead of 1..S")
  Long seed;

  @Option(names = "--parallel", paramLabel = "P", defaultValue = "1",
      description = "clusters run side by side, seeds dealt round-robin (1 to 8, default"
          + " ${DEFAULT-VALUE})")
  int parallel;

  @Option(names = "--plain-control",
      description = "run the control service without its API extensions (a plain Flocker v1 API),"
          + " so the agents run their fallbacks")
  boolean plainControl;

  @Spec CommandSpec spec;

  /** The outcome of a run: violations per failing seed, in seed order. */
  public record Summary(int passed, Map<Long, List<String>> failures) {
    public String line() {
      return passed + " passed, " + failures.size() + " failed";
    }
  }

  @Override
  public Integer call() throws Exception {
    within("--nodes", nodes, 3, 9);
    within("--seeds", seeds, 1, 100_000);
    within("--steps", steps, 1, 100_000);
    within("--parallel", parallel, 1, 8);
    List<Long> list = seed == null ? LongStream.rangeClosed(1, seeds).boxed().toList()
        : List.of(seed);
    Summary s = runParallel(nodes, list, steps, parallel, plainControl, System.err);
    System.out.println(s.line());
    return s.failures().isEmpty() ? 0 : 1;
  }

  private void within(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(),
          option + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  /** Deals {@code seeds} round-robin to {@code lanes} clusters run at once; merges the results. */
  public static Summary runParallel(int nodes, List<Long> seeds, int steps, int lanes,
      boolean plainControl, PrintStream err) throws Exception {
    int used = Math.min(lanes, seeds.size());
    if (used <= 1) {
      return run(nodes, seeds, steps, plainControl, err);
    }
    ExecutorService pool = Executors.newFixedThreadPool(used);
    try {
      List<Future<Summary>> parts = new ArrayList<>();
      for (int lane = 0; lane < used; lane++) {
        List<Long> mine = new ArrayList<>();
        for (int i = lane; i < seeds.size(); i += used) {
          mine.add(seeds.get(i));
        }
        parts.add(pool.submit(() -> run(nodes, mine, steps, plainControl, err)));
      }
      int passed = 0;
      Map<Long, List<String>> failures = new TreeMap<>();
      for (Future<Summary> part : parts) {
        Summary s = part.get();
        passed += s.passed();
        failures.putAll(s.failures());
      }
      return new Summary(passed, new LinkedHashMap<>(failures));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Runs {@code seeds} on a fresh cluster of {@code nodes} agents under a temporary directory;
   * {@code plainControl}: the control service without its extensions.
   */
  public static Summary run(int nodes, List<Long> seeds, int steps, boolean plainControl,
      PrintStream err) throws Exception {
    Path dir = Files.createTempDirectory("fd-chaos");
    err.println("chaos: starting " + (plainControl ? "a plain (no extensions) " : "")
        + "control service and " + nodes + " agents under " + dir);
    Map<Long, List<String>> failures = new LinkedHashMap<>();
    int passed = 0;
    LocalCluster started;
    try {
      started = startCluster(nodes, dir, plainControl, err);
    } catch (Exception e) {
      // every seed of this run is reported failed: none may pass silently unrun
      for (long seed : seeds) {
        failures.put(seed, List.of("seed " + seed + " not run: the cluster did not start: " + e));
      }
      err.println("chaos: the cluster did not start (" + e + "); agent logs kept under " + dir);
      return new Summary(0, failures);
    }
    try (LocalCluster cluster = started;
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

  /**
   * Starts the cluster, trying again (in a fresh directory) if it does not come up: on an
   * overloaded machine a joining agent can be quarantined and down itself before the run begins,
   * which says nothing about the schedules the run is there to check.
   */
  private static LocalCluster startCluster(int nodes, Path dir, boolean plainControl,
      PrintStream err) throws Exception {
    Exception last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      Path where = attempt == 1 ? dir : dir.resolve("retry-" + attempt);
      try {
        // small disks of their own let the data-plane step fill one host's disk (root only)
        String why = LocalCluster.smallDisksUnavailable();
        if (attempt == 1 && why != null) {
          err.println("chaos: disk-full faults off: " + why);
        }
        return LocalCluster.start(LocalCluster.Options.of(nodes, where)
            .withSmallRoots(why == null ? "64m" : null).withPlainControl(plainControl),
            Duration.ofSeconds(180));
      } catch (Exception e) {
        last = e;
        err.println("chaos: starting the cluster under " + where + " failed (attempt " + attempt
            + " of 3): " + e);
      }
    }
    throw last;
  }
}
