package io.flockerdocker.control;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.VersionResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The Flocker v1 REST routes: configuration and leases here, state in {@link StateRoutes}.
 * Mutations go to the single configuration writer and complete asynchronously; reads render the
 * current snapshots. Bodies are read as bytes because Flocker does not check the Content-Type.
 */
final class ControlRoutes {
  static final String FLOCKER_VERSION = "1.15.0";
  static final String TAG_HEADER = "X-Configuration-Tag";
  static final String IF_MATCHES_HEADER = "X-If-Configuration-Matches";

  private final ConfigurationStore store;
  private final StateRoutes state;

  ControlRoutes(ConfigurationStore store, StateRoutes state) {
    this.store = store;
    this.state = state;
  }

  Route route() {
    return pathPrefix("v1", () -> concat(
        path("version", () -> get(() -> now(Reply.ok(new VersionResponse(FLOCKER_VERSION))))),
        pathPrefix("configuration", () -> concat(
            pathPrefix("datasets", () -> concat(
                pathEnd(() -> concat(
                    get(this::listDatasets),
                    post(() -> mutate("/configuration/datasets",
                        (tags, body) -> store.create(tags, body))))),
                path(PathMatchers.segment(), id -> concat(
                    post(() -> mutate("/configuration/datasets/" + id,
                        (tags, body) -> store.update(tags, id, body))),
                    delete(() -> mutate("/configuration/datasets/" + id,
                        (tags, body) -> store.delete(tags, id))))))),
            pathPrefix("leases", () -> concat(
                pathEnd(() -> concat(
                    get(() -> now(Reply.ok(store.leases()))),
                    post(() -> mutate("/configuration/leases",
                        (tags, body) -> store.acquireLease(body))))),
                path(PathMatchers.segment(), id -> delete(() -> mutate(
                    "/configuration/leases/" + id, (tags, body) -> store.releaseLease(id)))))))),
        pathPrefix("state", state::route)));
  }

  private interface Mutation {
    Reply apply(List<String> ifMatches, byte[] body);
  }

  private Route listDatasets() {
    Configuration snapshot = store.current();
    return complete(render(Reply.ok(List.copyOf(snapshot.datasets().values())))
        .addHeader(RawHeader.create(TAG_HEADER, snapshot.tag())));
  }

  private Route mutate(String path, Mutation mutation) {
    return extractRequest(request -> entity(Unmarshaller.entityToByteArray(), body -> {
      List<String> ifMatches = ifMatches(request);
      CompletionStage<Reply> reply =
          store.submit(path, () -> mutation.apply(ifMatches, body));
      return completeWithFuture(reply.thenApply(ControlRoutes::render));
    }));
  }

  private static Route now(Reply reply) {
    return completeWithFuture(CompletableFuture.completedFuture(render(reply)));
  }

  private static List<String> ifMatches(HttpRequest request) {
    return java.util.stream.StreamSupport.stream(request.getHeaders().spliterator(), false)
        .filter(h -> h.name().equalsIgnoreCase(IF_MATCHES_HEADER))
        .map(h -> h.value())
        .toList();
  }

  static HttpResponse render(Reply reply) {
    return HttpResponse.create()
        .withStatus(reply.status())
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(reply.body()));
  }
}
