package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.AgentSettings;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.FlockerReplies.Reply;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NameInUse;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.UpdateDatasetRequest;
import io.flockerdocker.protocol.flocker.VersionResponse;
import io.flockerdocker.protocol.flocker.WatchEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * {@link FlockerClient} over Pekko HTTP's pooled client, plain HTTP or mutual TLS ({@link
 * FlockerTls}). Every call is bounded by the request timeout, a missing answer is UNREACHABLE, and
 * every other failure is classified by {@link FlockerReplies}. Never blocks. The scale extensions
 * (docs/control-api-extensions.md) are used when {@code GET /v1/version} advertises them; the
 * answer is remembered until a request finds the service unreachable or an extension path 404s
 * (a replaced control service), then asked again.
 */
public final class HttpFlockerClient implements FlockerClient {
  static final String TAG = "X-Configuration-Tag";
  static final String IF_MATCHES = "X-If-Configuration-Matches";

  private final ActorSystem system;
  private final Http http;
  private final Materializer materializer;
  private final String baseUrl;
  private final Duration timeout;
  private final HttpsConnectionContext tls;
  private final ConnectionPoolSettings pool;
  /** Watches wait longer than the normal pool's idle timeout allows, on their own connection. */
  private final ConnectionPoolSettings watchPool;
  private final LoggingAdapter log;
  private final AtomicReference<CompletableFuture<ControlExtensions>> extensions =
      new AtomicReference<>();
  /** The ETag of this client's last answer per list path (see the IfChanged methods). */
  private final Map<String, String> etags = new ConcurrentHashMap<>();
  private volatile String watchToken = "";

  /**
   * @param baseUrl the control service, e.g. {@code https://control:4523} ({@code /v1} is added)
   * @param tls mutual TLS for https URLs; empty means the JDK default context (plain http only)
   */
  public HttpFlockerClient(
      ClassicActorSystemProvider system, URI baseUrl, Optional<FlockerTls> tls, Duration timeout) {
    this.system = system.classicSystem();
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
    this.timeout = timeout;
    this.tls = tls.map(FlockerTls::connectionContext).orElseGet(http::defaultClientHttpsContext);
    // no retries (the caller decides), and connections die soon after a silent server
    this.pool =
        ConnectionPoolSettings.create(this.system)
            .withMaxRetries(0)
            .withConnectionSettings(
                ClientConnectionSettings.create(this.system)
                    .withConnectingTimeout(timeout)
                    .withIdleTimeout(timeout.multipliedBy(2)));
    this.watchPool =
        pool.withConnectionSettings(
            pool.getConnectionSettings().withIdleTimeout(timeout.plus(MAX_WATCH).plus(timeout)));
    this.log = Logging.getLogger(this.system, HttpFlockerClient.class);
  }

  /** Watches longer than this are cut to it (the control service's own limit is 50 s). */
  static final Duration MAX_WATCH = Duration.ofSeconds(50);

  /** The production client: URL, TLS files and timeout from the agent settings. */
  public static HttpFlockerClient create(ClassicActorSystemProvider system, AgentSettings s) {
    return new HttpFlockerClient(
        system, s.flockerUrl(), s.flockerTls().map(FlockerTls::load), s.flockerRequestTimeout());
  }

  @Override
  public CompletionStage<String> version() {
    return get("/v1/version", r -> FlockerReplies.object(r, "GET /v1/version", VersionResponse.class))
        .thenApply(VersionResponse::flocker);
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listDatasetsConfiguration() {
    return listAllDatasetsConfiguration().thenApply(all -> new DatasetsConfiguration(
        all.tag(), all.datasets().stream().filter(d -> !d.deleted()).toList()));
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listAllDatasetsConfiguration() {
    String what = "GET /v1/configuration/datasets";
    return get(
        "/v1/configuration/datasets",
        r -> {
          List<DatasetConfiguration> all =
              FlockerReplies.list(r, what, DatasetConfiguration.class);
          if (r.configurationTag() == null) {
            throw new FlockerException(
                Kind.SERVER_ERROR, r.status(), "control service sent no " + TAG + " to " + what);
          }
          return new DatasetsConfiguration(r.configurationTag(), all);
        });
  }

  @Override
  public CompletionStage<DatasetConfiguration> createDataset(
      CreateDatasetRequest request, Optional<String> ifConfigurationMatches) {
    HttpRequest req = post("/v1/configuration/datasets", request);
    if (ifConfigurationMatches.isPresent()) {
      req = req.addHeader(RawHeader.create(IF_MATCHES, ifConfigurationMatches.get()));
    }
    return call(req, Kind.DATASET_EXISTS, DatasetConfiguration.class);
  }

  @Override
  public CompletionStage<DatasetConfiguration> moveDataset(String datasetId, String primaryUuid) {
    HttpRequest req =
        post("/v1/configuration/datasets/" + segment(datasetId), new UpdateDatasetRequest(primaryUuid));
    return call(req, Kind.SERVER_ERROR, DatasetConfiguration.class);
  }

  @Override
  public CompletionStage<DatasetConfiguration> deleteDataset(String datasetId) {
    HttpRequest req = request(HttpMethods.DELETE, "/v1/configuration/datasets/" + segment(datasetId));
    return call(req, Kind.SERVER_ERROR, DatasetConfiguration.class);
  }

  @Override
  public CompletionStage<List<DatasetState>> listDatasetsState() {
    return getList("/v1/state/datasets", DatasetState.class);
  }

  @Override
  public CompletionStage<List<Node>> listNodes() {
    return getList("/v1/state/nodes", Node.class);
  }

  @Override
  public CompletionStage<List<Lease>> listLeases() {
    return getList("/v1/configuration/leases", Lease.class);
  }

  @Override
  public CompletionStage<Lease> acquireLease(
      String datasetId, String nodeUuid, Optional<Double> expiresSeconds) {
    Lease body = new Lease(datasetId, nodeUuid, expiresSeconds.orElse(null));
    return call(post("/v1/configuration/leases", body), Kind.LEASE_HELD, Lease.class);
  }

  @Override
  public CompletionStage<Lease> releaseLease(String datasetId) {
    HttpRequest req = request(HttpMethods.DELETE, "/v1/configuration/leases/" + segment(datasetId));
    return call(req, Kind.SERVER_ERROR, Lease.class);
  }

  @Override
  public CompletionStage<Void> reportState(NodeReport report) {
    HttpRequest req = request(HttpMethods.PUT, "/v1/state/nodes/" + segment(report.uuid()))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(report));
    // the body is "{}": success is all there is to know
    return send(req, Kind.STALE_REPORT, r -> null);
  }

  @Override
  public CompletionStage<List<NodeReport>> listReports() {
    return getList("/v1/state/reports", NodeReport.class);
  }

  @Override
  public CompletionStage<ControlExtensions> extensions() {
    CompletableFuture<ControlExtensions> known = extensions.get();
    if (known != null) {
      return known;
    }
    CompletableFuture<ControlExtensions> asking = new CompletableFuture<>();
    if (!extensions.compareAndSet(null, asking)) {
      return extensions();
    }
    get("/v1/version", r -> ControlExtensions.parse(r.extensions())).whenComplete((x, e) -> {
      if (e != null) {
        extensions.compareAndSet(asking, null); // ask again next time
        asking.completeExceptionally(e);
      } else {
        asking.complete(x);
      }
    });
    return asking;
  }

  @Override
  public CompletionStage<Optional<DatasetsConfiguration>> listAllDatasetsConfigurationIfChanged() {
    String what = "GET /v1/configuration/datasets";
    return ifChanged("/v1/configuration/datasets", r -> {
      if (r.configurationTag() == null) {
        throw new FlockerException(
            Kind.SERVER_ERROR, r.status(), "control service sent no " + TAG + " to " + what);
      }
      return new DatasetsConfiguration(r.configurationTag(),
          FlockerReplies.list(r, what, DatasetConfiguration.class));
    });
  }

  @Override
  public CompletionStage<Optional<List<DatasetState>>> listDatasetsStateIfChanged() {
    return ifChanged("/v1/state/datasets",
        r -> FlockerReplies.list(r, "GET /v1/state/datasets", DatasetState.class));
  }

  @Override
  public CompletionStage<Optional<List<Node>>> listNodesIfChanged() {
    return ifChanged("/v1/state/nodes", r -> FlockerReplies.list(r, "GET /v1/state/nodes",
        Node.class));
  }

  @Override
  public CompletionStage<Optional<List<Lease>>> listLeasesIfChanged() {
    return ifChanged("/v1/configuration/leases",
        r -> FlockerReplies.list(r, "GET /v1/configuration/leases", Lease.class));
  }

  @Override
  public CompletionStage<Boolean> awaitChange(Duration watchTimeout, Duration pollInterval) {
    return extensions().thenCompose(x -> {
      if (!x.has(ControlExtensions.WATCH)) {
        return FlockerClient.super.awaitChange(watchTimeout, pollInterval);
      }
      Duration wait = watchTimeout.compareTo(MAX_WATCH) > 0 ? MAX_WATCH : watchTimeout;
      HttpRequest req = request(HttpMethods.GET, "/v1/x/watch?since=" + segment(watchToken)
          + "&timeout=" + wait.toSeconds());
      return send(req, Kind.SERVER_ERROR, r -> {
        if (r.status() == 304) {
          return false;
        }
        watchToken = FlockerReplies.object(r, "GET /v1/x/watch", WatchEvent.class).token();
        return true;
      }, s -> s == 200 || s == 304, wait.plus(timeout), watchPool).exceptionallyCompose(e -> {
        Optional<FlockerException> f = FlockerException.of(e);
        // 503: the service has all the watchers it takes; 404: it lost the extension
        if (f.isPresent() && (f.get().status() == 503 || f.get().is(Kind.NOT_FOUND))) {
          if (f.get().is(Kind.NOT_FOUND)) {
            extensions.set(null);
          }
          return FlockerClient.super.awaitChange(watchTimeout, pollInterval);
        }
        return CompletableFuture.failedFuture(e);
      });
    });
  }

  @Override
  public CompletionStage<NamedCreate> createDatasetIfNameUnused(CreateDatasetRequest request) {
    String name;
    try {
      name = NamedCreates.nameOf(request);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return extensions().thenCompose(x -> {
      if (!x.has(ControlExtensions.CREATE_IF_NAME_UNUSED)) {
        return FlockerClient.super.createDatasetIfNameUnused(request);
      }
      HttpRequest req = request(HttpMethods.PUT, "/v1/x/datasets-by-name/" + segment(name))
          .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(request))
          .addHeader(RawHeader.create("If-None-Match", "*"));
      String what = describe(req);
      return send(req, Kind.DATASET_EXISTS, r -> r.status() == 409
          ? (NamedCreate) new NamedCreate.NameTaken(
              FlockerReplies.object(r, what, NameInUse.class).dataset())
          : new NamedCreate.Created(FlockerReplies.object(r, what, DatasetConfiguration.class)),
          s -> s == 201 || s == 409, timeout, pool).exceptionallyCompose(e -> {
            if (FlockerException.of(e).map(f -> f.is(Kind.NOT_FOUND)).orElse(false)) {
              extensions.set(null); // a control service without the extension now
              return FlockerClient.super.createDatasetIfNameUnused(request);
            }
            return CompletableFuture.failedFuture(e);
          });
    });
  }

  /**
   * A conditional GET with the ETag of this client's last answer for {@code path}: empty on 304.
   * Without the etag extension a plain GET, always "changed".
   */
  private <T> CompletionStage<Optional<T>> ifChanged(String path, Function<Reply, T> parse) {
    return extensions().thenCompose(x -> {
      if (!x.has(ControlExtensions.ETAG)) {
        return get(path, parse).thenApply(Optional::of);
      }
      HttpRequest req = request(HttpMethods.GET, path);
      String held = etags.get(path);
      if (held != null) {
        req = req.addHeader(RawHeader.create("If-None-Match", held));
      }
      return send(req, Kind.SERVER_ERROR, r -> {
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
      }, s -> s == 200 || s == 304, timeout, pool);
    });
  }

  private <T> CompletionStage<List<T>> getList(String path, Class<T> type) {
    return get(path, r -> FlockerReplies.list(r, "GET " + path, type));
  }

  private <T> CompletionStage<T> get(String path, Function<Reply, T> onSuccess) {
    return send(request(HttpMethods.GET, path), Kind.SERVER_ERROR, onSuccess);
  }

  private <T> CompletionStage<T> call(HttpRequest req, Kind on409, Class<T> type) {
    return send(req, on409, r -> FlockerReplies.object(r, describe(req), type));
  }

  private HttpRequest request(HttpMethod method, String path) {
    return HttpRequest.create(baseUrl + path).withMethod(method);
  }

  private HttpRequest post(String path, Object body) {
    return request(HttpMethods.POST, path)
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(body));
  }

  /** Ids come from callers; encoding them keeps a bad id a 404 instead of an invalid URI. */
  private static String segment(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static String describe(HttpRequest req) {
    return req.method().value() + " " + req.getUri().path();
  }

  /**
   * Sends, reads the whole body, and completes with the mapped value or a bare FlockerException;
   * a scheduler timer completes it UNREACHABLE first if the service is silent.
   */
  private <T> CompletionStage<T> send(HttpRequest req, Kind on409, Function<Reply, T> onSuccess) {
    return send(req, on409, onSuccess, s -> s >= 200 && s < 300, timeout, pool);
  }

  /** As above, with the statuses that count as answers and the bound and pool to use. */
  private <T> CompletionStage<T> send(HttpRequest req, Kind on409, Function<Reply, T> onSuccess,
      IntPredicate answered, Duration timeout, ConnectionPoolSettings pool) {
    String what = describe(req);
    CompletableFuture<T> result = new CompletableFuture<>();
    Cancellable timer =
        system
            .scheduler()
            .scheduleOnce(
                timeout,
                () -> result.completeExceptionally(unreachable("no reply to " + what
                        + " within " + timeout.toMillis() + " ms", null)),
                system.dispatcher());
    http.singleRequest(req, tls, pool, log)
        .thenCompose(this::readFully)
        .whenComplete(
            (reply, failure) -> {
              timer.cancel();
              if (failure != null) {
                extensions.set(null); // perhaps another control service when it answers again
                result.completeExceptionally(unreachable(TransportFailures.reason(failure), failure));
                return;
              }
              try {
                boolean ok = answered.test(reply.status());
                result.complete(
                    ok ? onSuccess.apply(reply) : throwing(FlockerReplies.error(reply, what, on409)));
              } catch (FlockerException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException e) { // a bug here must not leave the caller hanging
                result.completeExceptionally(
                    new FlockerException(Kind.SERVER_ERROR, reply.status(),
                        "cannot handle the reply to " + what + ": " + e, e));
              }
            });
    return result;
  }

  private CompletionStage<Reply> readFully(HttpResponse response) {
    return response
        .entity()
        .toStrict(timeout.toMillis(), materializer)
        .thenApply(
            strict ->
                new Reply(
                    response.status().intValue(),
                    response.getHeader(TAG).map(h -> h.value()).orElse(null),
                    strict.getData().toArray(),
                    response.getHeader("ETag").map(h -> h.value()).orElse(null),
                    response.getHeader(ControlExtensions.HEADER).map(h -> h.value())
                        .orElse(null)));
  }

  private static <T> T throwing(FlockerException e) {
    throw e;
  }

  private FlockerException unreachable(String reason, Throwable cause) {
    return FlockerException.unreachable(
        "control service at " + baseUrl + " unreachable: " + reason, cause);
  }
}
