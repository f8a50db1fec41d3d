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
  /** Null when the extensions are off: no ETags, every read renders. */
  private final Versions versions;
  private final Conditional.Rendered datasets = new Conditional.Rendered();
  private final Conditional.Rendered nodes = new Conditional.Rendered();
  private final Conditional.Rendered all = new Conditional.Rendered();

  StateRoutes(ReportStore reports, Supplier<Configuration> configuration, boolean tls,
      Versions versions) {
    this.reports = reports;
    this.configuration = configuration;
    this.tls = tls;
    this.versions = versions;
  }

  /** Matches below {@code /v1/state}. */
  Route route() {
    return concat(
        path("datasets", () -> get(() -> read(() -> versions.stateDatasets(), datasets,
            () -> StateView.datasets(reports.all(), configuration.get())))),
        path("reports", () -> get(() -> read(() -> versions.stateReports(), all,
            reports::all))),
        pathPrefix("nodes", () -> concat(
            pathEnd(() -> get(() -> read(() -> versions.stateNodes(), nodes,
                () -> StateView.nodes(reports.all())))),
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

  /** A list read: conditional with the extensions on (ETag taken before the body), else plain. */
  private Route read(Supplier<String> etag, Conditional.Rendered cache, Supplier<Object> body) {
    if (versions == null) {
      return complete(ControlRoutes.render(Reply.ok(body.get())));
    }
    return extractRequest(request -> complete(
        Conditional.respond(request, etag.get(), cache, body)));
  }
}
