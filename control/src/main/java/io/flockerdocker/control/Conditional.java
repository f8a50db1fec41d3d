package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Conditional GET for the list endpoints (RFC 9110 13.1.2): a request whose {@code If-None-Match}
 * names the current ETag (weak comparison) gets 304 with no body; otherwise the body, rendered
 * once per ETag and shared by every reader of that version ({@link Rendered}). The ETag must be
 * read before the body is rendered, so a body is never older than the tag it is sent with.
 */
final class Conditional {
  static final String CACHE_CONTROL = "no-cache";

  private Conditional() {}

  /** One endpoint's last rendered body and the ETag it was rendered under. */
  static final class Rendered {
    private record Body(String etag, byte[] json) {}

    private final AtomicReference<Body> last = new AtomicReference<>();

    byte[] json(String etag, Supplier<Object> body) {
      Body b = last.get();
      if (b != null && b.etag.equals(etag)) {
        return b.json;
      }
      byte[] json = Json.writeBytes(body.get());
      last.set(new Body(etag, json));
      return json;
    }
  }

  /** 304 when {@code request} already has {@code etag}, else 200 with the (cached) body. */
  static HttpResponse respond(HttpRequest request, String etag, Rendered cache,
      Supplier<Object> body) {
    if (matches(request, etag)) {
      return notModified(etag);
    }
    return withValidator(HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(ContentTypes.APPLICATION_JSON, cache.json(etag, body)), etag);
  }

  static HttpResponse notModified(String etag) {
    return withValidator(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED), etag);
  }

  static HttpResponse withValidator(HttpResponse response, String etag) {
    return response.addHeader(RawHeader.create("ETag", etag))
        .addHeader(RawHeader.create("Cache-Control", CACHE_CONTROL));
  }

  /** If-None-Match: {@code *} or a list of tags; weak comparison ignores {@code W/}. */
  static boolean matches(HttpRequest request, String etag) {
    String mine = opaque(etag);
    for (HttpHeader h : request.getHeaders()) {
      if (!h.name().equalsIgnoreCase("If-None-Match")) {
        continue;
      }
      for (String candidate : h.value().split(",")) {
        String c = candidate.strip();
        if (c.equals("*") || opaque(c).equals(mine)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when the request sends {@code If-None-Match: *} (create only if absent). */
  static boolean matchesAny(HttpRequest request) {
    for (HttpHeader h : request.getHeaders()) {
      if (h.name().equalsIgnoreCase("If-None-Match") && h.value().strip().equals("*")) {
        return true;
      }
    }
    return false;
  }

  static String opaque(String etag) {
    return etag.startsWith("W/") ? etag.substring(2) : etag;
  }
}
