package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.FlockerReplies.Reply;
import io.flockerdocker.protocol.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
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
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * The control service client's transport: one request over Pekko HTTP's pooled client, read in
 * full, bounded by a timer (a silent service is UNREACHABLE), and classified by {@link
 * FlockerReplies}. Watches get their own pool, whose connections outlive a long-poll.
 */
final class FlockerHttp {
  static final String TAG = "X-Configuration-Tag";

  /** Watches longer than this are cut to it (the control service's own limit is 50 s). */
  static final Duration MAX_WATCH = Duration.ofSeconds(50);

  private final ActorSystem system;
  private final Http http;
  private final Materializer materializer;
  private final String baseUrl;
  private final Duration timeout;
  private final HttpsConnectionContext tls;
  private final ConnectionPoolSettings pool;
  private final ConnectionPoolSettings watchPool;
  private final LoggingAdapter log;
  private final AtomicLong unreachable = new AtomicLong();

  FlockerHttp(ClassicActorSystemProvider system, String baseUrl, Optional<FlockerTls> tls,
      Duration timeout) {
    this.system = system.classicSystem();
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.baseUrl = baseUrl;
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

  Duration timeout() {
    return timeout;
  }

  /** How many requests got no answer so far: a change means the service may have been replaced. */
  long unreachableCount() {
    return unreachable.get();
  }

  HttpRequest request(HttpMethod method, String path) {
    return HttpRequest.create(baseUrl + path).withMethod(method);
  }

  HttpRequest post(String path, Object body) {
    return request(HttpMethods.POST, path)
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(body));
  }

  <T> CompletionStage<T> get(String path, Function<Reply, T> onSuccess) {
    return send(request(HttpMethods.GET, path), Kind.SERVER_ERROR, onSuccess);
  }

  <T> CompletionStage<T> call(HttpRequest req, Kind on409, Class<T> type) {
    return send(req, on409, r -> FlockerReplies.object(r, describe(req), type));
  }

  /** Ids come from callers; encoding them keeps a bad id a 404 instead of an invalid URI. */
  static String segment(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  static String describe(HttpRequest req) {
    return req.method().value() + " " + req.getUri().path();
  }

  <T> CompletionStage<T> send(HttpRequest req, Kind on409, Function<Reply, T> onSuccess) {
    return send(req, on409, onSuccess, s -> s >= 200 && s < 300, timeout, false);
  }

  /**
   * Sends, reads the whole body, and completes with the mapped value (for the statuses {@code
   * answered} accepts) or a bare FlockerException; a scheduler timer completes it UNREACHABLE
   * first if the service is silent for {@code bound}. {@code watch} uses the watches' pool.
   */
  <T> CompletionStage<T> send(HttpRequest req, Kind on409, Function<Reply, T> onSuccess,
      IntPredicate answered, Duration bound, boolean watch) {
    String what = describe(req);
    CompletableFuture<T> result = new CompletableFuture<>();
    Cancellable timer =
        system
            .scheduler()
            .scheduleOnce(
                bound,
                () -> result.completeExceptionally(unreachable("no reply to " + what
                        + " within " + bound.toMillis() + " ms", null)),
                system.dispatcher());
    http.singleRequest(req, tls, watch ? watchPool : pool, log)
        .thenCompose(this::readFully)
        .whenComplete(
            (reply, failure) -> {
              timer.cancel();
              if (failure != null) {
                result.completeExceptionally(
                    unreachable(TransportFailures.reason(failure), failure));
                return;
              }
              try {
                result.complete(answered.test(reply.status())
                    ? onSuccess.apply(reply) : throwing(FlockerReplies.error(reply, what, on409)));
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
    unreachable.incrementAndGet();
    return FlockerException.unreachable(
        "control service at " + baseUrl + " unreachable: " + reason, cause);
  }
}
