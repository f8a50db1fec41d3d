package io.flockerdocker.agent.status;

import io.flockerdocker.protocol.Json;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What the TCP status port lets through: only GET (and HEAD), and only with a Host header naming
 * loopback or the configured status host. A browser page on another origin can then neither
 * post to it (cross-site form) nor read it through a DNS name rebound to 127.0.0.1.
 */
public final class TcpGuard extends AllDirectives {
  private final Set<String> hosts;

  /** {@code statusHost} is {@code flocker-docker.status.host}, also accepted as a Host. */
  public TcpGuard(String statusHost) {
    // a Set built with distinct(): status.host is often one of the loopback names already
    this.hosts = Stream.of("localhost", "127.0.0.1", "::1", normalize(statusHost))
        .collect(Collectors.toUnmodifiableSet());
  }

  public Route guard(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<String> host = request.getHeader(Host.class)
          .map(h -> normalize(h.host().address())).filter(h -> !h.isEmpty());
      if (host.isEmpty() || !hosts.contains(host.get())) {
        return json(StatusCodes.MISDIRECTED_REQUEST, Map.of("error", "Host "
            + host.orElse("(none)") + " is not served here: the status endpoint answers only"
            + " to localhost, 127.0.0.1, [::1] or its status.host"));
      }
      if (!readOnly(request)) {
        return respondWithHeader(Allow.create(HttpMethods.GET, HttpMethods.HEAD), () ->
            json(StatusCodes.METHOD_NOT_ALLOWED, Map.of("error", request.method().value()
                + " is not served on the status port, which is read-only; release and other"
                + " operator actions are on the admin unix socket (status.admin-socket),"
                + " e.g. flocker-docker release VOLUME --from NODE, as root")));
      }
      return inner.get();
    });
  }

  private static boolean readOnly(HttpRequest r) {
    return r.method().equals(HttpMethods.GET) || r.method().equals(HttpMethods.HEAD);
  }

  /** Lower case, without IPv6 brackets: how Host values and status.host are compared. */
  static String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private Route json(org.apache.pekko.http.javadsl.model.StatusCode status, Object body) {
    return complete(HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(body)));
  }
}
