package io.flockerdocker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;

/**
 * Golden bodies under {@code src/test/resources/golden/} and the one way tests compare JSON: as
 * trees, so key order and whitespace do not matter but field names, omitted vs null fields and
 * values do. Numbers compare by value ({@code 60} equals {@code 60.0}), as every JSON reader does.
 */
public final class Golden {
  private Golden() {}

  /** The exact bytes of {@code golden/<path>}, trailing newline included. */
  public static byte[] bytes(String path) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode tree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts that {@code written} is the same JSON document as {@code expected}. */
  public static void assertSameJson(String written, byte[] expected, String what) {
    JsonNode actual = tree(written.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    JsonNode wanted = tree(expected);
    assertThat(actual.equals(NUMERIC, wanted))
        .as("%s: wrote %s, golden is %s", what, actual, wanted)
        .isTrue();
  }

  private static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };
}
