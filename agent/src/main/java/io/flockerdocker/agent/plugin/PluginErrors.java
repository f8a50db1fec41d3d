package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.support.LogText;
import io.flockerdocker.agent.volume.VolumeError;
import io.flockerdocker.agent.volume.VolumeFailure;
import io.flockerdocker.agent.volume.VolumeFailure.BadRequest;
import io.flockerdocker.agent.volume.VolumeFailure.TimedOut;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.docker.ErrResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.AttributeKey;
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
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failed plugin request into {@code {"Err": "..."}} with HTTP 200
 * (dockerd shows a 200 Err verbatim, but prefixes any other status with "VolumeDriver.X:"), and
 * the one place that logs failures: WARN per failed request, ERROR once for unexpected ones.
 * Every failure is first made a {@link VolumeFailure} (the entity's as it replied it), whose
 * sentence is the Err and which the reply carries as an attribute, for /metrics to count.
 */
public final class PluginErrors {
  /** dockerd never checks the reply's Content-Type; this is what it announces in Accept. */
  public static final ContentType CONTENT_TYPE =
      ContentTypes.create(
          MediaTypes.applicationWithFixedCharset(
              "vnd.docker.plugins.v1.2+json", HttpCharsets.UTF_8));

  /** Err of a body over the size limit; nothing of a 1 MB body is ever parsed or echoed. */
  public static final String TOO_LARGE = "request too large";

  /** A body over the route's limit, known from Content-Length before any of it is read. */
  public static final class TooLarge extends RuntimeException {
    public TooLarge(long length, long limit) {
      super("request body of " + length + " bytes exceeds " + limit);
    }
  }

  /** The failure a reply built here answers, absent on a success. */
  private static final AttributeKey<VolumeFailure> FAILURE =
      AttributeKey.create("flocker-docker-failure", VolumeFailure.class);

  private static final Logger log = LoggerFactory.getLogger(PluginErrors.class);
  private static final int SHOWN_NAME_LENGTH = 80;

  /** HTTP 200 with {@code body} as JSON: the only success shape dockerd accepts (never empty). */
  public HttpResponse ok(Object body) {
    return respond(StatusCodes.OK, body);
  }

  /**
   * 200 with a body already serialised as JSON (the catalog's cached List reply), sent without a
   * copy: the catalog never writes a reply's bytes again, and at 100,000 volumes a copy per List
   * (8 MB) filled the old generation of a small heap every few calls (full GCs, List p99 160 ms).
   */
  public HttpResponse okJson(byte[] json) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(CONTENT_TYPE, ByteString.fromArrayUnsafe(json)));
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
    VolumeFailure typed = failureOf(cause, volume, waited);
    String err = typed.message();
    // an entity's Internal was logged with its stack trace where it happened
    if (!(typed instanceof VolumeFailure.Internal) || cause instanceof VolumeError) {
      log.warn("[{}] volume [{}] failed: {}", endpoint, shown(volume), LogText.escape(err));
    } else {
      log.error("[{}] volume [{}] failed unexpectedly: {}", endpoint, shown(volume),
          LogText.escape(String.valueOf(cause)), cause);
    }
    return ok(ErrResponse.of(err)).addAttribute(FAILURE, typed);
  }

  /** The failure a reply built by {@link #failed} answers; empty for a success. */
  public static Optional<VolumeFailure> failureOf(HttpResponse response) {
    return response.getAttribute(FAILURE);
  }

  /** A reply for a path or method dockerd never uses: 404/405 with a JSON Err, logged at WARN. */
  public HttpResponse unknown(StatusCode status, String err) {
    log.warn("{}", err);
    return respond(status, ErrResponse.of(err));
  }

  /**
   * The failure of a request, typed: the entity's as it replied it, the route's own by the
   * exception's type; {@code volume} null when the body never named one, {@code waited} the ask's
   * timeout.
   */
  static VolumeFailure failureOf(Throwable cause, String volume, Duration waited) {
    if (cause instanceof VolumeError e) {
      return e.failure();
    }
    if (cause instanceof StatusReply.ErrorMessage) {
      // this node's MountTable replies StatusReply.error("...") written for the docker user
      return new VolumeFailure.Rejected(cause.getMessage());
    }
    if (cause instanceof TooLarge || cause instanceof EntityStreamSizeException) {
      return new BadRequest(TOO_LARGE);
    }
    if (cause instanceof TimeoutException) {
      return volume == null
          ? new TimedOut(null, TimedOut.Waiting.REQUEST, null, 0)
          : new TimedOut(volume, TimedOut.Waiting.ANSWER, null, waited.toMillis());
    }
    if (cause instanceof ProtocolException) {
      return new BadRequest("invalid request: " + cause.getMessage());
    }
    if (cause instanceof IllegalArgumentException) {
      return new BadRequest(cause.getMessage());
    }
    // a stack detail tells dockerd's caller about our internals and helps nobody there
    return new VolumeFailure.Internal();
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

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
