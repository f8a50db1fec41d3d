package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.LogText;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.docker.ErrResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failed plugin request into {@code {"Err": "..."}} with HTTP 200
 * (dockerd shows a 200 Err verbatim, but prefixes any other status with "VolumeDriver.X:"), and
 * the one place that logs failures: WARN per failed request, ERROR once for unexpected ones.
 */
public final class PluginErrors {
  /** dockerd never checks the reply's Content-Type; this is what it announces in Accept. */
  public static final ContentType CONTENT_TYPE =
      ContentTypes.create(
          MediaTypes.applicationWithFixedCharset(
              "vnd.docker.plugins.v1.2+json", HttpCharsets.UTF_8));

  /** Err of any unexpected failure: its detail (class, message) goes to the agent log only. */
  public static final String INTERNAL = "internal error in the flocker plugin; see the agent log";

  /** Err of a body over the size limit; nothing of a 1 MB body is ever parsed or echoed. */
  public static final String TOO_LARGE = "request too large";

  /** A body over the route's limit, known from Content-Length before any of it is read. */
  public static final class TooLarge extends RuntimeException {
    public TooLarge(long length, long limit) {
      super("request body of " + length + " bytes exceeds " + limit);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(PluginErrors.class);
  private static final int SHOWN_NAME_LENGTH = 80;

  /** HTTP 200 with {@code body} as JSON: the only success shape dockerd accepts (never empty). */
  public HttpResponse ok(Object body) {
    return respond(StatusCodes.OK, body);
  }

  /** 200 with a body already serialised as JSON (the catalog's cached List reply). */
  public HttpResponse okJson(byte[] json) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(CONTENT_TYPE, json));
  }

  /** {@code body} as JSON with the plugin content type and the given status. */
  public HttpResponse respond(StatusCode status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(CONTENT_TYPE, Json.writeBytes(body)));
  }

  /**
   * The reply to a request of {@code endpoint} that failed with {@code failure}; {@code volume}
   * is null when the body never got as far as naming one, {@code waited} the ask timeout.
   */
  public HttpResponse failed(String endpoint, String volume, Duration waited, Throwable failure) {
    Throwable cause = unwrap(failure);
    String err = errFor(cause, volume, waited);
    if (isExpected(cause)) {
      log.warn("[{}] volume [{}] failed: {}", endpoint, shown(volume), LogText.escape(err));
    } else {
      log.error("[{}] volume [{}] failed unexpectedly: {}", endpoint, shown(volume),
          LogText.escape(String.valueOf(cause)), cause);
    }
    return ok(ErrResponse.of(err));
  }

  /** Whether a reply built here carries a non-empty Err (for the error count of /metrics). */
  public static boolean carriesErr(HttpResponse response) {
    if (!(response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict s)) {
      return false;
    }
    try {
      var err = Json.mapper().readTree(s.getData().toArray()).get("Err");
      return err != null && err.isTextual() && !err.asText().isEmpty();
    } catch (java.io.IOException | RuntimeException e) {
      return true;
    }
  }

  /** A reply for a path or method dockerd never uses: 404/405 with a JSON Err, logged at WARN. */
  public HttpResponse unknown(StatusCode status, String err) {
    log.warn("{}", err);
    return respond(status, ErrResponse.of(err));
  }

  /** The Err text for a failure; user-facing messages pass through verbatim. */
  static String errFor(Throwable cause, String volume, Duration waited) {
    if (cause instanceof StatusReply.ErrorMessage) {
      // entities reply StatusReply.error("...") with a message written for the docker user
      return cause.getMessage();
    }
    if (cause instanceof TooLarge || cause instanceof EntityStreamSizeException) {
      return TOO_LARGE;
    }
    if (cause instanceof TimeoutException) {
      return volume == null
          ? "timed out reading the request"
          : "timed out after " + seconds(waited) + " waiting for volume " + volume;
    }
    if (cause instanceof ProtocolException) {
      return "invalid request: " + cause.getMessage();
    }
    if (cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    // a stack detail tells dockerd's caller about our internals and helps nobody there
    return INTERNAL;
  }

  /** A volume name as logs show it: a hostile megabyte-long name is cut. */
  static String shown(String volume) {
    if (volume == null) {
      return "-";
    }
    String cut = volume.length() <= SHOWN_NAME_LENGTH
        ? volume
        : volume.substring(0, SHOWN_NAME_LENGTH) + "...(" + volume.length() + " chars)";
    return LogText.escape(cut);
  }

  private static boolean isExpected(Throwable cause) {
    return cause instanceof StatusReply.ErrorMessage
        || cause instanceof TooLarge
        || cause instanceof EntityStreamSizeException
        || cause instanceof TimeoutException
        || cause instanceof ProtocolException
        || cause instanceof IllegalArgumentException;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : (d.toMillis() / 1000.0) + "s";
  }
}
