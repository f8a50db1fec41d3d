package io.flockerdocker.control;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.flockerdocker.control.ReportValidation.InvalidReportException;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The state half of the API (docs/data-plane.md section 1): hosts PUT their reports, everyone
 * reads the reports and Flocker's derived {@code /state/datasets} and {@code /state/nodes}.
 * Nothing here blocks: a report is checked and stored inline with an atomic per-host replace.
 */
final class StateRoutes {
  private final ReportStore reports;
  private final Supplier<Configuration> configuration;
  private final boolean tls;

  StateRoutes(ReportStore reports, Supplier<Configuration> configuration, boolean tls) {
    this.reports = reports;
    this.configuration = configuration;
    this.tls = tls;
  }

  /** Matches below {@code /v1/state}. */
  Route route() {
    return concat(
        path("datasets", () -> get(() -> reply(() -> Reply.ok(
            StateView.datasets(reports.all(), configuration.get()))))),
        path("reports", () -> get(() -> reply(() -> Reply.ok(reports.all())))),
        pathPrefix("nodes", () -> concat(
            pathEnd(() -> get(() -> reply(() -> Reply.ok(StateView.nodes(reports.all()))))),
            path(PathMatchers.segment(), uuid -> put(() -> extractRequest(request ->
                entity(Unmarshaller.entityToByteArray(), body -> completeWithFuture(
                    report(uuid, PeerIdentity.commonName(request), body)
                        .thenApply(ControlRoutes::render)))))))));
  }

  /**
   * Authorisation first (only host {@code uuid} may report as itself), then validation, then
   * the freshness check; nothing is stored unless all three pass.
   */
  CompletionStage<Reply> report(String rawUuid, Optional<String> peer, byte[] body) {
    String expected = "node-" + rawUuid.toLowerCase(Locale.ROOT);
    // plain HTTP is loopback only (ControlMain refuses anything else): no identity to check
    if (tls && !peer.map(expected::equals).orElse(false)) {
      return CompletableFuture.completedFuture(Reply.error(403, "certificate "
          + peer.orElse("(none)") + " may not report for node " + rawUuid + ": only " + expected
          + " may"));
    }
    NodeReport report;
    try {
      report = ReportValidation.parse(ReportValidation.pathUuid(rawUuid), body);
    } catch (InvalidReportException e) {
      return CompletableFuture.completedFuture(Reply.error(400, e.getMessage()));
    }
    return reports.offer(report).thenApply(outcome -> {
      // Java 17: no pattern switch yet; Outcome is sealed, so these two are all there is
      if (outcome instanceof ReportStore.Outcome.Stale s) {
        return Reply.error(409, "stale report: epoch " + report.epoch() + " seq "
            + report.seq() + " is not newer than the stored epoch " + s.stored().epoch()
            + " seq " + s.stored().seq());
      }
      return Reply.ok(Map.of());
    });
  }

  private static Route reply(Supplier<Reply> reply) {
    return completeWithFuture(
        CompletableFuture.completedFuture(ControlRoutes.render(reply.get())));
  }
}
