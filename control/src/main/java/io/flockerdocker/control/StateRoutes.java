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
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
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
                    report(uuid, PeerIdentity.commonName(request), body)))))))));
  }

  /**
   * Authorisation first (only host {@code uuid} may report as itself), then validation, then
   * the freshness check; nothing is stored unless all three pass.
   */
  CompletionStage<HttpResponse> report(String rawUuid, Optional<String> peer, byte[] body) {
    Optional<Reply> refused = refused(rawUuid, peer);
    if (refused.isPresent()) {
      return CompletableFuture.completedFuture(ControlRoutes.render(refused.get()));
    }
    NodeReport report;
    try {
      report = ReportValidation.parse(ReportValidation.pathUuid(rawUuid), body);
    } catch (InvalidReportException e) {
      return CompletableFuture.completedFuture(
          ControlRoutes.render(Reply.error(400, e.getMessage())));
    }
    return reports.offer(report).thenApply(outcome -> {
      // Java 17: no pattern switch yet; Outcome is sealed, so these two are all there is
      if (outcome instanceof ReportStore.Outcome.Stale s) {
        return ControlRoutes.render(Reply.error(409, "stale report: epoch " + report.epoch()
            + " seq " + report.seq() + " is not newer than the stored epoch "
            + s.stored().epoch() + " seq " + s.stored().seq()));
      }
      HttpResponse ok = ControlRoutes.render(Reply.ok(Map.of()));
      // the content's tag, for the heartbeat extension; a plain Flocker API sends none
      return versions == null ? ok : ok.addHeader(RawHeader.create("ETag",
          ((ReportStore.Outcome.Accepted) outcome).etag()));
    });
  }

  /**
   * The heartbeat extension ({@code POST /v1/x/heartbeat/{uuid}}): 204 when the host's stored
   * report still has the content its {@code If-Match} tag names, else 412 (send it in full).
   */
  HttpResponse heartbeat(String rawUuid, Optional<String> peer, Optional<String> ifMatch) {
    Optional<Reply> refused = refused(rawUuid, peer);
    if (refused.isPresent()) {
      return ControlRoutes.render(refused.get());
    }
    String uuid = rawUuid.toLowerCase(Locale.ROOT);
    if (ifMatch.isPresent() && reports.holds(uuid, ifMatch.get())) {
      return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    }
    return ControlRoutes.render(Reply.error(412, "the stored report of node " + rawUuid
        + " is not the one tagged " + ifMatch.orElse("(no If-Match)") + ": report in full"));
  }

  /** Only host {@code uuid} may report as itself (over TLS; plain HTTP is loopback only). */
  private Optional<Reply> refused(String rawUuid, Optional<String> peer) {
    String expected = "node-" + rawUuid.toLowerCase(Locale.ROOT);
    if (tls && !peer.map(expected::equals).orElse(false)) {
      return Optional.of(Reply.error(403, "certificate " + peer.orElse("(none)")
          + " may not report for node " + rawUuid + ": only " + expected + " may"));
    }
    return Optional.empty();
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
