package io.flockerdocker.agent.status;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Prometheus metrics of the agent (being written): the {@code /metrics} route. */
public final class Metrics {
  private Metrics() {}

  public static Route route() {
    return complete(StatusCodes.NOT_IMPLEMENTED, "metrics not implemented yet\n");
  }
}
