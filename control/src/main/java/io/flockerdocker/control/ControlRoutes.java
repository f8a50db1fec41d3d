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
  /** Null when the extensions are off: then this is a plain Flocker v1 API. */
  private final ExtensionRoutes extensions;
  private final Versions versions;
  private final Conditional.Rendered datasets = new Conditional.Rendered();

  ControlRoutes(ConfigurationStore store, StateRoutes state, ExtensionRoutes extensions,
      Versions versions) {
    this.store = store;
    this.state = state;
    this.extensions = extensions;
    this.versions = versions;
  }

  Route route() {
    Route x = extensions == null ? reject() : pathPrefix("x", extensions::route);
    return pathPrefix("v1", () -> concat(
        path("version", () -> get(this::version)),
        x,
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
                    get(this::listLeases),
                    post(() -> mutate("/configuration/leases",
                        (tags, body) -> store.acquireLease(body))))),
                path(PathMatchers.segment(), id -> delete(() -> mutate(
                    "/configuration/leases/" + id, (tags, body) -> store.releaseLease(id)))))))),
        pathPrefix("state", state::route)));
  }

  private interface Mutation {
    Reply apply(List<String> ifMatches, byte[] body);
  }

  private Route version() {
    HttpResponse r = render(Reply.ok(new VersionResponse(FLOCKER_VERSION)));
    // a header, not a body key: Flocker's version schema allows exactly one key
    return complete(extensions == null ? r
        : r.addHeader(RawHeader.create(ExtensionRoutes.HEADER, ExtensionRoutes.ADVERTISED)));
  }

  private Route listDatasets() {
    // one snapshot for tag, ETag and body, so the three always agree
    Configuration snapshot = store.current();
    RawHeader tag = RawHeader.create(TAG_HEADER, snapshot.tag());
    if (extensions == null) {
      return complete(render(Reply.ok(snapshot.datasets().values().toList())).addHeader(tag));
    }
    return extractRequest(request -> complete(Conditional.respond(request,
        snapshot.datasetsEtag(), datasets, () -> snapshot.datasets().values().toList())
        .addHeader(tag)));
  }

  /** The body counts seconds down, so it is rendered every time; the ETag is weak. */
  private Route listLeases() {
    if (extensions == null) {
      return now(Reply.ok(store.leases()));
    }
    String etag = versions.configurationLeases();
    return extractRequest(request -> complete(Conditional.matches(request, etag)
        ? Conditional.notModified(etag)
        : Conditional.withValidator(render(Reply.ok(store.leases())), etag)));
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
