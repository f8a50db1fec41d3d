package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.transfer.PullResult;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one log line per step, e.g. "pulled dataset X from node2: 12 files, 5.0 MiB, 1.2 s".
 */
final class StepLines {
  private StepLines() {}

  static String done(StepRunner.Outcome o, long nanos, Function<String, String> nameOf) {
    Step s = o.step();
    String id = s.datasetId();
    String gen = o.copy().map(c -> " (generation " + c.generation() + ")").orElse("");
    if (s instanceof Step.Pull p) {
      PullResult r = o.pulled().orElseThrow();
      return String.format(Locale.ROOT, "pulled dataset %s from %s: %d files, %s, %.1f s%s"
          + " (%d files kept from the stale copy)", id, nameOf.apply(p.source().nodeUuid()),
          r.filesSent() + r.filesKept(), mib(r.contentBytes()), nanos / 1e9, gen, r.filesKept());
    }
    String verb = s instanceof Step.Create ? "created"
        : s instanceof Step.Unseal ? "took back (unsealed)"
        : s instanceof Step.Seal ? "sealed"
        : s instanceof Step.Demote ? "demoted to a stale replica"
        : "destroyed";
    return String.format(Locale.ROOT, "%s dataset %s%s in %.1f s", verb, id, gen, nanos / 1e9);
  }

  static String failed(Step s, Function<String, String> nameOf) {
    if (s instanceof Step.Pull p) {
      return "pull of dataset " + s.datasetId() + " from " + nameOf.apply(p.source().nodeUuid());
    }
    return s.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " of dataset "
        + s.datasetId();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
