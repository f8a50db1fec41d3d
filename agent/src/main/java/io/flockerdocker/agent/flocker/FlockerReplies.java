package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.flocker.ErrorDescription;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns control service replies into values or {@link FlockerException}s (spec section 2): the
 * status decides the kind, Flocker's {@code description} goes into the message, and a body that
 * is not what the API promises becomes SERVER_ERROR, never a Jackson exception.
 */
final class FlockerReplies {
  private static final int MAX_QUOTED = 300;

  private FlockerReplies() {}

  /**
   * One HTTP answer, read in full, with the headers the client acts on: Flocker's tag, and the
   * extensions' {@code ETag} and {@code X-Control-Extensions} (null when absent).
   */
  record Reply(int status, String configurationTag, byte[] body, String etag, String extensions) {
    Reply(int status, String configurationTag, byte[] body) {
      this(status, configurationTag, body, null, null);
    }
  }

  /** The body of a successful reply as one {@code type} object. */
  static <T> T object(Reply reply, String what, Class<T> type) {
    try {
      return Json.read(reply.body(), type);
    } catch (ProtocolException e) {
      throw invalid(reply, what, e.getMessage(), e);
    }
  }

  /** The body of a successful reply as a JSON array of {@code type} objects. */
  static <T> List<T> list(Reply reply, String what, Class<T> type) {
    try {
      return Json.readList(reply.body(), type);
    } catch (ProtocolException e) {
      throw invalid(reply, what, e.getMessage(), e);
    }
  }

  /** The exception for a non-success status; {@code on409} tells which conflict it is. */
  static FlockerException error(Reply reply, String what, Kind on409) {
    int status = reply.status();
    Kind kind =
        switch (status) {
          case 400 -> Kind.BAD_REQUEST;
          case 404 -> Kind.NOT_FOUND;
          case 405 -> Kind.DELETED;
          case 409 -> on409;
          case 412 -> Kind.CONFIGURATION_CHANGED;
          default -> Kind.SERVER_ERROR;
        };
    String verb = status >= 500 ? "failed" : "refused";
    return new FlockerException(
        kind,
        status,
        "control service " + verb + " " + what + " (" + status + "): " + description(reply));
  }

  /** Flocker's {@code description}, or the start of whatever else the body was (HTML, a 500 id). */
  static String description(Reply reply) {
    try {
      ErrorDescription error = Json.read(reply.body(), ErrorDescription.class);
      return error.errors() == null
          ? error.description()
          : error.description() + " " + error.errors();
    } catch (ProtocolException e) {
      String text = new String(reply.body(), StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return "(empty body)";
      }
      return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    }
  }

  private static FlockerException invalid(Reply reply, String what, String why, Throwable e) {
    return new FlockerException(
        Kind.SERVER_ERROR,
        reply.status(),
        "control service sent an invalid reply to " + what + ": " + why,
        e);
  }
}
