package io.flockerdocker.protocol;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
            // messages end up in a Docker Err or a Flocker description: never echo the body
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
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
    // no record of this module allows a null element in a list
    mapper.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
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
    } catch (IOException e) {
      throw problem(e, type, what);
    }
  }

  /**
   * Parses a body that must be one JSON array of {@code type} objects (Flocker's list endpoints)
   * one element at a time: no tree and no second copy of a large list (100,000 datasets are
   * 15 MB). A problem in an element names its index: {@code element [3]: field 'primary' ...}.
   */
  public static <T> List<T> readList(byte[] body, Class<T> type) throws ProtocolException {
    if (body == null || isBlank(body)) {
      throw new ProtocolException("empty body: expected a JSON array");
    }
    JavaType element = MAPPER.constructType(type);
    // one element of many: what follows it is the next one, not trailing input
    ObjectReader reader =
        MAPPER.readerFor(element).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    List<T> items = new ArrayList<>();
    try (JsonParser parser = MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.VALUE_NULL) {
        throw new ProtocolException("expected a JSON array, got null");
      }
      if (first != JsonToken.START_ARRAY) {
        parser.skipChildren(); // malformed JSON says so first
        throw new ProtocolException(
            "expected a JSON array for a list of " + type.getSimpleName());
      }
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == null) {
          throw new ProtocolException("malformed JSON: the array does not end");
        }
        items.add(readElement(reader, parser, element, items.size()));
      }
      if (parser.nextToken() != null) {
        throw new ProtocolException("malformed JSON: more after the array");
      }
    } catch (IOException e) {
      throw problem(e, element, "a JSON array");
    }
    return items;
  }

  private static <T> T readElement(ObjectReader reader, JsonParser parser, JavaType type,
      int index) throws ProtocolException {
    try {
      T value = reader.readValue(parser);
      if (value == null) {
        throw new ProtocolException("element [" + index + "] must not be null");
      }
      return value;
    } catch (IOException e) {
      throw new ProtocolException("element [" + index + "]: "
          + problem(e, type, "a JSON object").getMessage(), e);
    }
  }

  /** What was wrong with a body, from Jackson's exception, without echoing the body. */
  private static ProtocolException problem(IOException e, JavaType type, String what) {
    if (e instanceof InvalidNullException n) {
      return new ProtocolException("field '" + path(n) + "' must not be null", e);
    }
    if (e instanceof MismatchedInputException m) {
      return new ProtocolException(describeMismatch(m, type, what), e);
    }
    if (e instanceof ValueInstantiationException) {
      // a record constructor refused the values (e.g. a null where it copies a collection)
      return new ProtocolException(
          "invalid " + describe(type) + ": a value is null where one is required", e);
    }
    if (e instanceof JsonMappingException m) {
      // databind wraps parser errors it hits inside a field, e.g. a number too big for a long
      String field = path(m);
      String problem = e.getCause() instanceof InputCoercionException ? "is out of range" : "is invalid";
      return new ProtocolException(field.isEmpty() ? "malformed JSON: " + humanMessage(m)
          : "field '" + field + "' " + problem, e);
    }
    if (e instanceof InputCoercionException c) {
      return new ProtocolException("a number is out of range: " + humanMessage(c), e);
    }
    if (e instanceof JsonProcessingException p) {
      return new ProtocolException("malformed JSON: " + humanMessage(p), e);
    }
    return new ProtocolException("unreadable body: " + e.getClass().getSimpleName(), e);
  }

  /** Jackson's first sentence without its source excerpt, plus where in the body it happened. */
  private static String humanMessage(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "unexpected input" : e.getOriginalMessage();
    String text = original.split("\\n")[0].replaceAll(" ?\\(start marker at \\[.*$", "");
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? text
        : text + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
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
    String field = path(e);
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
    if (type == null) {
      return "its type";
    }
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
