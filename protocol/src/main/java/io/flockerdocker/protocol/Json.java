package io.flockerdocker.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one ObjectMapper of the project and the only way bodies are parsed. Unknown fields are
 * tolerated (dockerd and Flocker add some over time); wrong types are not: Jackson's default
 * coercions (number to string, string to number, scalar to boolean) are switched off, and every
 * failure becomes a {@link ProtocolException} with a message naming the field.
 */
public final class Json {
  private static final ObjectMapper MAPPER = build();

  private Json() {}

  private static ObjectMapper build() {
    JsonMapper mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    for (LogicalType type :
        new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
          LogicalType.Boolean}) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    // an integer is a fine value for a float field ("expires": 60)
    mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer,
        CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String,
        CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Integer,
        CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Boolean,
        CoercionAction.TryConvert);
    return mapper;
  }

  /** The shared mapper, for code that must build trees or customise writing. Do not reconfigure. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses a whole body into {@code type}; the body must be one JSON object. */
  public static <T> T read(byte[] body, Class<T> type) throws ProtocolException {
    return parse(body, MAPPER.constructType(type), "a JSON object");
  }

  /** Parses a body that must be one JSON array of {@code type} (Flocker's list endpoints). */
  public static <T> List<T> readList(byte[] body, Class<T> type) throws ProtocolException {
    JavaType listType = MAPPER.getTypeFactory().constructCollectionType(List.class, type);
    return parse(body, listType, "a JSON array");
  }

  private static <T> T parse(byte[] body, JavaType type, String what) throws ProtocolException {
    if (body == null || isBlank(body)) {
      throw new ProtocolException("empty body: expected " + what);
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new ProtocolException("expected " + what + ", got null");
      }
      return value;
    } catch (MismatchedInputException e) {
      throw new ProtocolException(describeMismatch(e, type, what), e);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(
          "malformed JSON: " + e.getOriginalMessage().split("\n")[0], e);
    } catch (IOException e) {
      throw new ProtocolException("unreadable body: " + e.getMessage(), e);
    }
  }

  public static <T> T read(String body, Class<T> type) throws ProtocolException {
    return read(body == null ? null : body.getBytes(StandardCharsets.UTF_8), type);
  }

  /** Serialises a record; records of this module always serialise, so failure is a bug. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  public static byte[] writeBytes(Object value) {
    return write(value).getBytes(StandardCharsets.UTF_8);
  }

  private static String describeMismatch(MismatchedInputException e, JavaType root, String what) {
    String field =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."));
    String original = e.getOriginalMessage();
    if (original != null && original.startsWith("Missing required creator property")) {
      String missing = original.replaceAll(".*'([^']*)'.*", "$1");
      return "missing required field '" + missing + "'";
    }
    if (field.isEmpty()) {
      return "expected " + what + " for " + describe(root);
    }
    String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
    return "field '" + field + "' has the wrong type: expected " + expected;
  }

  private static String describe(JavaType type) {
    return type.isCollectionLikeType()
        ? "a list of " + type.getContentType().getRawClass().getSimpleName()
        : type.getRawClass().getSimpleName();
  }

  private static String typeName(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return type.getSimpleName();
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

}
