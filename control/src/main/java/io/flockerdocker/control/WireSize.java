package io.flockerdocker.control;

import java.util.OptionalLong;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The size of an HTTP/1.1 message head as it crosses the wire, approximated from the parsed
 * model without rendering it: start line, one {@code Name: value\r\n} per header that is
 * rendered, the Content-Type and Content-Length lines Pekko keeps on the entity, and the blank
 * line. For responses it adds the Server and Date lines the server renders itself. Header text
 * is taken as one byte per char (HTTP header values are ASCII in practice).
 */
final class WireSize {
  /** The server header the control service sends (pekko.http.server.server-header). */
  static final String SERVER = "flocker-control";
  private static final int CRLF = 2;
  private static final int HTTP_VERSION = "HTTP/1.1".length();
  /** {@code Date: Sat, 05 Dec 2026 03:18:06 GMT\r\n}: always this long (RFC 1123, 2 digit day). */
  private static final int DATE_LINE = "Date: Sat, 05 Dec 2026 03:18:06 GMT".length() + CRLF;
  private static final int SERVER_LINE = line("Server", SERVER);

  private WireSize() {}

  /** {@code GET /v1/x?q HTTP/1.1}, headers, entity headers, blank line. */
  static long requestHead(HttpRequest r) {
    long n = r.method().value().length() + 1 + r.getUri().getPathString().length()
        + r.getUri().rawQueryString().map(q -> 1 + q.length()).orElse(0) + 1 + HTTP_VERSION
        + CRLF;
    for (HttpHeader h : r.getHeaders()) {
      if (h.renderInRequests()) {
        n += line(h.name(), h.value());
      }
    }
    // a client sends no Content-Length for an empty body without a type (GET, DELETE)
    boolean bodyless = r.entity().getContentLengthOption().orElse(-1) == 0
        && ContentTypes.NO_CONTENT_TYPE.equals(r.entity().getContentType());
    return n + (bodyless ? 0 : entityHeaders(r.entity())) + CRLF;
  }

  /** {@code HTTP/1.1 200 OK}, Server, Date, headers, entity headers, blank line. */
  static long responseHead(HttpResponse r) {
    long n = HTTP_VERSION + 1 + 3 + 1 + r.status().reason().length() + CRLF
        + SERVER_LINE + DATE_LINE;
    for (HttpHeader h : r.getHeaders()) {
      if (h.renderInResponses()) {
        n += line(h.name(), h.value());
      }
    }
    // 204 and 304 carry no entity headers
    return n + (r.status().allowsEntity() ? entityHeaders(r.entity()) : 0) + CRLF;
  }

  /** Content-Type (when there is one) and Content-Length, or Transfer-Encoding when streamed. */
  private static long entityHeaders(HttpEntity e) {
    long n = 0;
    if (!ContentTypes.NO_CONTENT_TYPE.equals(e.getContentType())) {
      n += line("Content-Type", e.getContentType().toString());
    }
    OptionalLong length = e.getContentLengthOption();
    if (length.isPresent()) {
      n += line("Content-Length", Long.toString(length.getAsLong()));
    } else {
      n += line("Transfer-Encoding", "chunked");
    }
    return n;
  }

  private static int line(String name, String value) {
    return name.length() + 2 + value.length() + CRLF;
  }
}
