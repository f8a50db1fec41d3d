package io.flockerdocker.agent.status;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /metrics}: the agent's registry in the Prometheus text format (version 0.0.4). */
public final class Metrics {
  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  private Metrics() {}

  /** Scrapes at request time; a scrape is a few microseconds of reading counters. */
  public static Route route(PrometheusRegistry registry) {
    return org.apache.pekko.http.javadsl.server.Directives.extractRequest(req ->
        complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.TEXT_PLAIN_UTF8, text(registry)))));
  }

  /** The whole registry as Prometheus text. */
  public static byte[] text(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      WRITER.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
