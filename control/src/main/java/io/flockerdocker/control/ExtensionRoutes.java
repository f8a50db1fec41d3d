package io.flockerdocker.control;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NamedDataset;
import io.flockerdocker.protocol.flocker.WatchEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The routes below {@code /v1/x} (docs/control-api-extensions.md): the watch and change-feed
 * long-polls, the lookup by name, the create-if-name-unused and the hosts' heartbeat. None blocks:
 * a wait is a future completed by the next change or its timeout ({@link ChangeNotifier}); a
 * create runs on the configuration's writer thread; a heartbeat compares one tag
 * ({@link StateRoutes#heartbeat}).
 */
final class ExtensionRoutes {
  /** What {@code GET /v1/version} advertises in {@link #HEADER} when the extensions are on. */
  static final String HEADER = "X-Control-Extensions";
  static final String ADVERTISED =
      "etag, watch, create-if-name-unused, changes, changes-copies, datasets-by-name, heartbeat";

  private final ConfigurationStore store;
  private final ChangeNotifier changes;
  private final Versions versions;
  private final ChangeFeed feed;
  private final ControlTuning tuning;
  private final StateRoutes state;

  ExtensionRoutes(ConfigurationStore store, ChangeNotifier changes, Versions versions,
      ChangeFeed feed, ControlTuning tuning, StateRoutes state) {
    this.store = store;
    this.changes = changes;
    this.versions = versions;
    this.feed = feed;
    this.tuning = tuning;
    this.state = state;
  }

  /** Matches below {@code /v1/x}. */
  Route route() {
    return concat(
        path("watch", () -> get(() -> parameterOptional("since", since ->
            parameterOptional("timeout", timeout -> watch(since, timeout))))),
        path("changes", () -> get(() -> parameterOptional("since", since ->
            parameterOptional("timeout", timeout -> changes(since, timeout))))),
        path(PathMatchers.segment("datasets-by-name").slash(PathMatchers.segment()), name ->
            concat(
                get(() -> now(byName(name))),
                put(() -> extractRequest(request -> entity(Unmarshaller.entityToByteArray(),
                    body -> createIfNameUnused(request, name, body)))))),
        path(PathMatchers.segment("heartbeat").slash(PathMatchers.segment()), uuid ->
            post(() -> extractRequest(request -> complete(state.heartbeat(uuid,
                PeerIdentity.commonName(request),
                request.getHeader("If-Match").map(h -> h.value())))))));
  }

  /**
   * The change feed: at once when something changed after {@code since} (or it is gone: 410),
   * else held like a watch until the next change or the timeout (then an empty batch). Without
   * {@code since}: the version to start from, nothing else.
   */
  private Route changes(Optional<String> since, Optional<String> rawTimeout) {
    Duration timeout;
    try {
      timeout = rawTimeout.map(this::timeout).orElse(tuning.defaultWatchTimeout());
    } catch (IllegalArgumentException e) {
      return now(Reply.error(400, e.getMessage()));
    }
    if (since.isEmpty()) {
      return now(Reply.ok(feed.start()));
    }
    // the token first: a change recorded after it moves it, so the wait below cannot miss one
    String token = changes.token();
    if (timeout.isZero() || feed.ready(since.get())) {
      return now(batch(since.get()));
    }
    CompletionStage<Optional<String>> woken;
    try {
      woken = changes.await(token, timeout);
    } catch (ChangeNotifier.TooManyWaiters e) {
      return complete(ControlRoutes.render(Reply.error(503, e.getMessage()))
          .addHeader(RawHeader.create("Retry-After", "5")));
    }
    // rendered off the thread that completes the waiters (the configuration's writer)
    return withRequestTimeout(timeout.plusSeconds(10), () -> extractExecutionContext(ec ->
        completeWithFuture(woken.thenApplyAsync(x -> ControlRoutes.render(batch(since.get())),
            ec))));
  }

  private Reply batch(String since) {
    ChangeBatch b = feed.since(since);
    return b != null ? Reply.ok(b) : Reply.error(410, "version [" + since + "] is not in the "
        + "change history this service keeps (another run, too old, or too many changes since): "
        + "read the lists in full, then ask from the version of GET /v1/x/changes");
  }

  /**
   * The live dataset named {@code name} and its lease, without reading the whole list. None is a
   * 200 with nulls, not a 404: a 404 means "no such endpoint" (a plain Flocker), and a client
   * must never read that as "no such volume".
   */
  private Reply byName(String name) {
    Configuration c = store.current();
    DatasetConfiguration d = c.liveByName(name);
    if (d == null) {
      return Reply.ok(new NamedDataset(null, null));
    }
    StoredLease held = c.leases().get(d.datasetId());
    return Reply.ok(new NamedDataset(d, held == null ? null : held.toApi(store.nowMs())));
  }

  private Route watch(Optional<String> since, Optional<String> rawTimeout) {
    Duration timeout;
    try {
      timeout = rawTimeout.map(this::timeout).orElse(tuning.defaultWatchTimeout());
    } catch (IllegalArgumentException e) {
      return now(Reply.error(400, e.getMessage()));
    }
    CompletionStage<Optional<String>> woken;
    try {
      // no since: answer at once, the caller learns the token and the ETags
      woken = changes.await(since.orElse(""), timeout);
    } catch (ChangeNotifier.TooManyWaiters e) {
      return complete(ControlRoutes.render(Reply.error(503, e.getMessage()))
          .addHeader(RawHeader.create("Retry-After", "5")));
    }
    // the server's own request-timeout (20 s by default) would answer a long wait with a 503
    return withRequestTimeout(timeout.plusSeconds(10), () -> completeWithFuture(woken.thenApply(
        token -> token.isPresent() ? event(token.get()) : unchanged(since.orElse("")))));
  }

  private Duration timeout(String raw) {
    int seconds;
    try {
      seconds = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("timeout must be whole seconds, got [" + raw + "]");
    }
    if (seconds < 0 || seconds > tuning.maxWatchTimeout().toSeconds()) {
      throw new IllegalArgumentException("timeout must be between 0 and "
          + tuning.maxWatchTimeout().toSeconds() + " seconds, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private HttpResponse event(String token) {
    return ControlRoutes.render(Reply.ok(new WatchEvent(token, Map.of(
        WatchEvent.CONFIGURATION_DATASETS, versions.configurationDatasets(),
        WatchEvent.CONFIGURATION_LEASES, versions.configurationLeases(),
        WatchEvent.STATE_DATASETS, versions.stateDatasets(),
        WatchEvent.STATE_NODES, versions.stateNodes()))));
  }

  /** Nothing changed within the timeout: 304, and the token to wait on again. */
  private static HttpResponse unchanged(String token) {
    return HttpResponse.create().withStatus(304).addHeader(RawHeader.create("X-Watch-Token",
        token));
  }

  private Route createIfNameUnused(HttpRequest request, String name, byte[] body) {
    if (!Conditional.matchesAny(request)) {
      return now(Reply.error(400, "send If-None-Match: * : this endpoint only creates a dataset "
          + "when no live dataset is named [" + name + "]"));
    }
    if (name.isEmpty() || name.length() > 256) {
      return now(Reply.error(400, "a name is 1 to 256 characters, got " + name.length()));
    }
    return completeWithFuture(store.submit("/x/datasets-by-name/" + name,
        () -> store.createIfNameUnused(name, body)).thenApply(ControlRoutes::render));
  }

  private static Route now(Reply reply) {
    return completeWithFuture(CompletableFuture.completedFuture(ControlRoutes.render(reply)));
  }
}
