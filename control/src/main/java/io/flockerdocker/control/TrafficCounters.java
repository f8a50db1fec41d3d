package io.flockerdocker.control;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What the control service served, for the benchmarks' traffic figures: requests answered, body
 * bytes both ways, and the message heads both ways as {@link WireSize} approximates them (start
 * line and headers), so that head plus body is about what crossed the wire.
 */
final class TrafficCounters {
  private final LongAdder requests = new LongAdder();
  private final LongAdder requestBody = new LongAdder();
  private final LongAdder requestHead = new LongAdder();
  private final LongAdder responseBody = new LongAdder();
  private final LongAdder responseHead = new LongAdder();

  /**
   * {@code route} with every request and answer counted. Body sizes are the declared ones, known
   * for all our strict JSON entities (a chunked request body counts 0).
   */
  Route counting(Route route) {
    return Directives.extractRequest(request -> {
      requestHead.add(WireSize.requestHead(request));
      requestBody.add(request.entity().getContentLengthOption().orElse(0L));
      return Directives.mapResponse(response -> {
        requests.increment();
        responseHead.add(WireSize.responseHead(response));
        responseBody.add(response.entity().getContentLengthOption().orElse(0L));
        return response;
      }, () -> route);
    });
  }

  long requests() {
    return requests.sum();
  }

  long requestBody() {
    return requestBody.sum();
  }

  long requestHead() {
    return requestHead.sum();
  }

  long responseBody() {
    return responseBody.sum();
  }

  long responseHead() {
    return responseHead.sum();
  }
}
