package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.agent.volume.VolumeName;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What lies between a plugin request and its endpoint's code: POST only, a size-limited body parsed
 * and its volume name (or mount ID) validated, every reply counted, every failure through
 * {@link PluginErrors}, and a JSON Err for whatever dockerd never sends.
 */
final class PluginEndpoints extends AllDirectives {
  /** Bodies are a name and a few options; anything bigger is hostile or broken. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final int MAX_MOUNT_ID_LENGTH = 256;
  private static final List<String> ENDPOINTS =
      List.of("Plugin.Activate", "VolumeDriver.Capabilities", "VolumeDriver.Create",
          "VolumeDriver.Remove", "VolumeDriver.Mount", "VolumeDriver.Path",
          "VolumeDriver.Unmount", "VolumeDriver.Get", "VolumeDriver.List");

  private final ActorSystem<?> system;
  private final AgentSettings settings;
  private final PluginErrors errors;
  private final AgentMetrics metrics;

  /** {@code metrics}: where every reply is counted and timed; null counts nothing. */
  PluginEndpoints(ActorSystem<?> system, AgentSettings settings, PluginErrors errors,
      AgentMetrics metrics) {
    this.system = system;
    this.settings = settings;
    this.errors = errors;
    this.metrics = metrics;
  }

  /** POST /{endpoint} whose body is ignored (Activate sends none, List and Capabilities "{}"). */
  Route endpoint(String endpoint, Supplier<HttpResponse> reply) {
    return body(endpoint, bytes -> done(reply.get()));
  }

  /**
   * POST /{endpoint} whose body names one volume: parsed into {@code type}, the name validated,
   * then {@code act}; a failure after parsing is reported with the volume's name.
   */
  <R> Route endpoint(String endpoint, Class<R> type, Function<R, String> nameOf,
      BiFunction<R, String, CompletionStage<HttpResponse>> act) {
    return body(endpoint, bytes -> {
      R req = Json.read(bytes, type);
      String name = nameOf.apply(req);
      try {
        VolumeName.problem(name).ifPresent(p -> {
          throw new IllegalArgumentException(p);
        });
        return act.apply(req, name);
      } catch (RuntimeException e) {
        return done(errors.failed(endpoint, name, Duration.ZERO, e));
      }
    });
  }

  /** Reads at most MAX_BODY_BYTES of the body, whatever its Content-Type, and hands it on. */
  private Route body(String endpoint, Handler handler) {
    return path(endpoint, () -> post(() -> extractRequestEntity(entity -> {
      // dockerd sends no Content-Type: take the raw bytes, never an unmarshaller that wants JSON.
      // A declared length over the limit is refused before reading a byte of it; a chunked
      // body fails in toStrict with EntityStreamSizeException once it passes the limit.
      long started = System.nanoTime();
      long declared = entity.getContentLengthOption().orElse(0L);
      // A body that came whole with its head is Strict already: use it. Pekko HTTP 1.3's
      // toStrict(timeout, maxBytes) does not short-cut Strict; it runs a stream per request,
      // whose reply comes back on another thread (~0.3 ms of a read endpoint's latency).
      CompletionStage<HttpEntity.Strict> strictBody = declared > MAX_BODY_BYTES
          ? CompletableFuture.failedFuture(new PluginErrors.TooLarge(declared, MAX_BODY_BYTES))
          : entity instanceof HttpEntity.Strict strict
              ? CompletableFuture.completedFuture(strict)
              : entity.toStrict(settings.shortTimeout().toMillis(), MAX_BODY_BYTES, system);
      CompletionStage<HttpResponse> reply =
          strictBody
              .thenCompose(strict -> {
                try {
                  return handler.handle(strict.getData().toArray());
                } catch (ProtocolException | RuntimeException e) {
                  return done(errors.failed(endpoint, null, Duration.ZERO, e));
                }
              })
              .exceptionally(e -> errors.failed(endpoint, null, Duration.ZERO, e));
      return completeWithFuture(metrics == null ? reply : reply.thenApply(r -> {
        metrics.pluginRequest(endpoint, PluginErrors.failureOf(r).isPresent(),
            System.nanoTime() - started);
        return r;
      }));
    })));
  }

  /** Anything dockerd never sends: a JSON Err with 405 for a known path, else 404. */
  Route unknown() {
    return extractRequest(req -> {
      req.discardEntityBytes(system);
      String path = req.getUri().path();
      String method = req.method().value();
      if (ENDPOINTS.contains(path.substring(1)) && !req.method().equals(HttpMethods.POST)) {
        return complete(errors.unknown(StatusCodes.METHOD_NOT_ALLOWED,
            "method " + method + " not allowed on " + path + ": use POST"));
      }
      return complete(errors.unknown(StatusCodes.NOT_FOUND,
          "unknown endpoint " + method + " " + PluginErrors.shown(path)));
    });
  }

  /** A Mount or Unmount request's ID; IllegalArgumentException (its Err) if unusable. */
  static String validMountId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("missing mount ID");
    }
    if (id.length() > MAX_MOUNT_ID_LENGTH) {
      throw new IllegalArgumentException(
          "invalid mount ID: longer than " + MAX_MOUNT_ID_LENGTH + " characters");
    }
    return id;
  }

  static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** One endpoint's work on the raw body; may throw for a body it cannot use. */
  @FunctionalInterface
  private interface Handler {
    CompletionStage<HttpResponse> handle(byte[] body) throws ProtocolException;
  }
}
