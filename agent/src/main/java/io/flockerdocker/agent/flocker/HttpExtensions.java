package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.FlockerReplies.Reply;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NameInUse;
import io.flockerdocker.protocol.flocker.NamedDataset;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.WatchEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * HttpFlockerClient's half for the scale extensions (docs/control-api-extensions.md): what the
 * service advertises (asked once; asked again once a request found it unreachable or an
 * extension path 404s, as another service may answer now), the ETag last seen per list, the
 * watch token, and each call's fallback when the extension is not there.
 */
final class HttpExtensions {
  private record Known(long unreachableCount, CompletableFuture<ControlExtensions> answer) {}

  /** This client's last report accepted in full, and the tag the service gave its content. */
  private record Held(NodeReport report, String etag) {}

  private final FlockerHttp http;
  private final FlockerClient client;
  private final AtomicReference<Known> known = new AtomicReference<>();
  private final Map<String, String> etags = new ConcurrentHashMap<>();
  private volatile String watchToken = "";
  private final AtomicReference<Held> held = new AtomicReference<>();

  /** {@code client} runs the fallbacks (plain reads and creates) through the v1 calls. */
  HttpExtensions(FlockerHttp http, FlockerClient client) {
    this.http = http;
    this.client = client;
  }

  CompletionStage<ControlExtensions> advertised() {
    Known k = known.get();
    long count = http.unreachableCount();
    if (k != null && k.unreachableCount() == count) {
      return k.answer();
    }
    Known asking = new Known(count, new CompletableFuture<>());
    if (!known.compareAndSet(k, asking)) {
      return advertised();
    }
    http.get("/v1/version", r -> ControlExtensions.parse(r.extensions())).whenComplete((x, e) -> {
      if (e != null) {
        known.compareAndSet(asking, null); // ask again next time
        asking.answer().completeExceptionally(e);
      } else {
        asking.answer().complete(x);
      }
    });
    return asking.answer();
  }

  /** A conditional GET with this client's last ETag for {@code path}: empty on 304. */
  <T> CompletionStage<Optional<T>> ifChanged(String path, Function<Reply, T> parse) {
    return advertised().thenCompose(x -> {
      if (!x.has(ControlExtensions.ETAG)) {
        return http.get(path, parse).thenApply(Optional::of);
      }
      HttpRequest req = http.request(HttpMethods.GET, path);
      String held = etags.get(path);
      if (held != null) {
        req = req.addHeader(RawHeader.create("If-None-Match", held));
      }
      return http.send(req, Kind.SERVER_ERROR, r -> {
        if (r.status() == 304) {
          return Optional.<T>empty();
        }
        T value = parse.apply(r);
        if (r.etag() == null) {
          etags.remove(path);
        } else {
          etags.put(path, r.etag());
        }
        return Optional.of(value);
      }, s -> s == 200 || s == 304, http.timeout(), false);
    });
  }

  CompletionStage<Boolean> awaitChange(Duration watchTimeout, Duration pollInterval) {
    return advertised().thenCompose(x -> {
      if (!x.has(ControlExtensions.WATCH)) {
        return FlockerClient.timedPoll(pollInterval);
      }
      Duration wait = watchTimeout.compareTo(FlockerHttp.MAX_WATCH) > 0
          ? FlockerHttp.MAX_WATCH : watchTimeout;
      HttpRequest req = http.request(HttpMethods.GET, "/v1/x/watch?since="
          + FlockerHttp.segment(watchToken) + "&timeout=" + wait.toSeconds());
      return http.send(req, Kind.SERVER_ERROR, r -> {
        if (r.status() == 304) {
          return false;
        }
        watchToken = FlockerReplies.object(r, "GET /v1/x/watch", WatchEvent.class).token();
        return true;
      }, s -> s == 200 || s == 304, wait.plus(http.timeout()), true).exceptionallyCompose(e -> {
        Optional<FlockerException> f = FlockerException.of(e);
        // 503: the service has all the watchers it takes; 404: it lost the extension
        if (f.isPresent() && (f.get().status() == 503 || f.get().is(Kind.NOT_FOUND))) {
          if (f.get().is(Kind.NOT_FOUND)) {
            known.set(null);
          }
          return FlockerClient.timedPoll(pollInterval);
        }
        return CompletableFuture.failedFuture(e);
      });
    });
  }

  /** The change feed, or NotOffered when the service does not advertise it (or lost it: 404). */
  CompletionStage<ChangeFeedAnswer> changesSince(Optional<String> since, Duration timeout) {
    return advertised().thenCompose(x -> {
      if (!x.has(ControlExtensions.CHANGES)) {
        return CompletableFuture.completedFuture(ChangeFeedAnswer.NotOffered.INSTANCE);
      }
      Duration wait = timeout.compareTo(FlockerHttp.MAX_WATCH) > 0 ? FlockerHttp.MAX_WATCH
          : timeout;
      HttpRequest req = http.request(HttpMethods.GET, "/v1/x/changes?timeout=" + wait.toSeconds()
          + since.map(v -> "&since=" + FlockerHttp.segment(v)).orElse(""));
      return http.send(req, Kind.SERVER_ERROR, r -> r.status() == 410
          ? (ChangeFeedAnswer) ChangeFeedAnswer.Gone.INSTANCE
          : new ChangeFeedAnswer.Changes(
              FlockerReplies.object(r, "GET /v1/x/changes", ChangeBatch.class)),
          s -> s == 200 || s == 410, wait.plus(http.timeout()), true).exceptionallyCompose(e -> {
            if (FlockerException.of(e).map(f -> f.is(Kind.NOT_FOUND)).orElse(false)) {
              known.set(null); // a control service without the extension now
              return CompletableFuture.completedFuture(ChangeFeedAnswer.NotOffered.INSTANCE);
            }
            return CompletableFuture.failedFuture(e);
          });
    });
  }

  /** One small read when advertised, else the plain API's fallback (the whole configuration). */
  CompletionStage<Optional<NamedDataset>> datasetByName(String name) {
    return advertised().thenCompose(x -> {
      if (!x.has(ControlExtensions.DATASETS_BY_NAME)) {
        return FlockerClient.byNameFromLists(client, name);
      }
      String path = "/v1/x/datasets-by-name/" + FlockerHttp.segment(name);
      return http.get(path, r -> FlockerReplies.object(r, "GET " + path, NamedDataset.class))
          .thenApply(found -> Optional.ofNullable(found.dataset()).map(d -> found))
          .exceptionallyCompose(e -> {
            if (FlockerException.of(e).map(f -> f.is(Kind.NOT_FOUND)).orElse(false)) {
              known.set(null); // a control service without the extension now
              return FlockerClient.byNameFromLists(client, name);
            }
            return CompletableFuture.failedFuture(e);
          });
    });
  }

  /** The full report ({@code PUT /v1/state/nodes/{uuid}}); remembers its content's tag. */
  CompletionStage<Void> report(NodeReport report) {
    HttpRequest req = http.request(HttpMethods.PUT,
            "/v1/state/nodes/" + FlockerHttp.segment(report.uuid()))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(report));
    // the body is "{}"; the ETag (extensions on) tags the content for later heartbeats
    return http.send(req, Kind.STALE_REPORT, r -> {
      held.set(r.etag() == null ? null : new Held(report, r.etag()));
      return null;
    });
  }

  /**
   * A heartbeat ({@code POST /v1/x/heartbeat/{uuid}} naming the held tag) when the report says
   * what the last full one said, else (or on 412, or 404 from a service without it) in full.
   */
  CompletionStage<Void> reportOrHeartbeat(NodeReport report) {
    return advertised().thenCompose(x -> {
      Held h = held.get();
      if (!x.has(ControlExtensions.HEARTBEAT) || h == null
          || h.report().epoch() != report.epoch() || !h.report().sameContent(report)) {
        return report(report);
      }
      HttpRequest req = http.request(HttpMethods.POST,
              "/v1/x/heartbeat/" + FlockerHttp.segment(report.uuid()))
          .addHeader(RawHeader.create("If-Match", h.etag()));
      return http.send(req, Kind.SERVER_ERROR, r -> r.status() == 204,
              s -> s == 204 || s == 412, http.timeout(), false)
          .exceptionallyCompose(e -> {
            if (FlockerException.of(e).map(f -> f.is(Kind.NOT_FOUND)).orElse(false)) {
              known.set(null); // a control service without the extension now
              return CompletableFuture.completedFuture(false);
            }
            return CompletableFuture.failedFuture(e);
          })
          .thenCompose(holds -> holds ? CompletableFuture.<Void>completedFuture(null)
              : report(report));
    });
  }

  CompletionStage<NamedCreate> createIfNameUnused(CreateDatasetRequest request) {
    String name;
    try {
      name = NamedCreates.nameOf(request);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return advertised().thenCompose(x -> {
      if (!x.has(ControlExtensions.CREATE_IF_NAME_UNUSED)) {
        return NamedCreates.byTag(client, request, FlockerClient.NAMED_CREATE_ATTEMPTS);
      }
      HttpRequest req = http.request(HttpMethods.PUT, "/v1/x/datasets-by-name/"
              + FlockerHttp.segment(name))
          .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(request))
          .addHeader(RawHeader.create("If-None-Match", "*"));
      String what = FlockerHttp.describe(req);
      return http.send(req, Kind.DATASET_EXISTS, r -> r.status() == 409
          ? (NamedCreate) new NamedCreate.NameTaken(
              FlockerReplies.object(r, what, NameInUse.class).dataset())
          : new NamedCreate.Created(FlockerReplies.object(r, what, DatasetConfiguration.class)),
          s -> s == 201 || s == 409, http.timeout(), false).exceptionallyCompose(e -> {
            if (FlockerException.of(e).map(f -> f.is(Kind.NOT_FOUND)).orElse(false)) {
              known.set(null); // a control service without the extension now
              return NamedCreates.byTag(client, request, FlockerClient.NAMED_CREATE_ATTEMPTS);
            }
            return CompletableFuture.failedFuture(e);
          });
    });
  }
}
