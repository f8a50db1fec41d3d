package io.flockerdocker.control;

import io.flockerdocker.protocol.flocker.ErrorDescription;
import java.util.List;
import java.util.UUID;

/** An HTTP answer of the control API before it is rendered: status and a JSON-serialisable body. */
record Reply(int status, Object body) {
  static final String DECODE_ERROR =
      "The request body could not be decoded according to the value of the\nContent-Type header.";
  static final String SCHEMA_ERROR = "The provided JSON doesn't match the required schema.";

  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }

  static Reply error(int status, String description) {
    return new Reply(status, ErrorDescription.of(description));
  }

  static Reply schema(List<String> errors) {
    return new Reply(400, new ErrorDescription(SCHEMA_ERROR, errors));
  }

  static Reply decodeError() {
    return error(400, DECODE_ERROR);
  }

  /** Flocker's unhandled-exception answer: a bare JSON string (a log correlation id). */
  static Reply internalError(String path) {
    return new Reply(500, UUID.randomUUID() + "@" + path);
  }
}
