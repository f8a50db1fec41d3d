package io.flockerdocker.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Flocker's request JSON schemas (schema/endpoints.yml, types.yml) as code. Each check returns
 * jsonschema-like messages; an empty list means valid. Clients must not parse these strings.
 */
final class Schema {
  static final Pattern UUID_V4 =
      Pattern.compile(
          "^[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-4[A-Fa-f0-9]{3}-[89abAB][A-Fa-f0-9]{3}-[A-Fa-f0-9]{12}$");
  /** Any-version UUID text; Python's {@code UUID()} accepts these and raises (500) on others. */
  static final Pattern ANY_UUID =
      Pattern.compile("^[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$");
  static final long MIN_SIZE = 64L * 1024 * 1024;

  private Schema() {}

  static List<String> create(JsonNode body) {
    List<String> errors = new ArrayList<>();
    if (object(body, errors)) {
      allowed(body, Set.of("primary", "dataset_id", "maximum_size", "metadata", "deleted"), errors);
      required(body, List.of("primary"), errors);
      uuid(body, "primary", errors);
      uuid(body, "dataset_id", errors);
      maximumSize(body, errors);
      metadata(body, errors);
      if (body.has("deleted") && !body.get("deleted").isBoolean()) {
        errors.add(body.get("deleted") + " is not of type 'boolean'");
      }
    }
    return errors;
  }

  static List<String> update(JsonNode body) {
    List<String> errors = new ArrayList<>();
    if (object(body, errors)) {
      allowed(body, Set.of("primary"), errors);
      uuid(body, "primary", errors);
    }
    return errors;
  }

  static List<String> lease(JsonNode body) {
    List<String> errors = new ArrayList<>();
    if (object(body, errors)) {
      allowed(body, Set.of("dataset_id", "node_uuid", "expires"), errors);
      required(body, List.of("dataset_id", "node_uuid", "expires"), errors);
      JsonNode id = body.get("dataset_id");
      if (id != null) {
        if (!id.isTextual()) {
          errors.add(id + " is not of type 'string'");
        } else if (id.asText().length() != 36) {
          errors.add(id + " is too " + (id.asText().length() < 36 ? "short" : "long"));
        }
      }
      uuid(body, "node_uuid", errors);
      JsonNode expires = body.get("expires");
      if (expires != null && !expires.isNull() && !expires.isNumber()) {
        errors.add(expires + " is not of type 'number', 'null'");
      }
    }
    return errors;
  }

  private static boolean object(JsonNode body, List<String> errors) {
    if (!body.isObject()) {
      errors.add(body + " is not of type 'object'");
      return false;
    }
    return true;
  }

  private static void allowed(JsonNode body, Set<String> keys, List<String> errors) {
    List<String> extra = new ArrayList<>();
    body.fieldNames().forEachRemaining(k -> {
      if (!keys.contains(k)) {
        extra.add("'" + k + "'");
      }
    });
    if (!extra.isEmpty()) {
      errors.add("Additional properties are not allowed (" + String.join(", ", extra)
          + (extra.size() == 1 ? " was" : " were") + " unexpected)");
    }
  }

  private static void required(JsonNode body, List<String> keys, List<String> errors) {
    for (String k : keys) {
      if (!body.has(k)) {
        errors.add("'" + k + "' is a required property");
      }
    }
  }

  private static void uuid(JsonNode body, String key, List<String> errors) {
    JsonNode v = body.get(key);
    if (v == null) {
      return;
    }
    if (!v.isTextual()) {
      errors.add(v + " is not of type 'string'");
    } else if (!UUID_V4.matcher(v.asText()).matches()) {
      errors.add(v + " does not match '" + UUID_V4.pattern() + "'");
    }
  }

  private static void maximumSize(JsonNode body, List<String> errors) {
    JsonNode v = body.get("maximum_size");
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isIntegralNumber()) {
      errors.add(v + " is not of type 'integer', 'null'");
      return;
    }
    BigInteger size = v.bigIntegerValue();
    if (size.compareTo(BigInteger.valueOf(MIN_SIZE)) < 0) {
      errors.add(v + " is less than the minimum of " + MIN_SIZE);
    }
    if (size.mod(BigInteger.valueOf(1024)).signum() != 0) {
      errors.add(v + " is not a multiple of 1024");
    }
    if (size.bitLength() > 62) {
      errors.add(v + " is too large");
    }
  }

  private static void metadata(JsonNode body, List<String> errors) {
    JsonNode v = body.get("metadata");
    if (v == null) {
      return;
    }
    if (!v.isObject()) {
      errors.add(v + " is not of type 'object'");
      return;
    }
    if (v.size() > 16) {
      errors.add(v + " has too many properties");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int keyLength = e.getKey().codePointCount(0, e.getKey().length());
      if (keyLength < 1 || keyLength > 256) {
        errors.add("'" + e.getKey() + "' is not a valid metadata key (1 to 256 characters)");
      }
      JsonNode value = e.getValue();
      if (!value.isTextual()) {
        errors.add(value + " is not of type 'string'");
      } else if (value.asText().codePointCount(0, value.asText().length()) > 256) {
        errors.add(value + " is too long");
      }
    }
  }

  /** A lease path or body id as Flocker stores it; a 500, as in Python, when not a UUID. */
  static String uuidOrFail(String raw) {
    if (!ANY_UUID.matcher(raw).matches()) {
      // Python's UUID() raises ValueError here, which Flocker answers with a 500
      throw new IllegalArgumentException("badly formed hexadecimal UUID string: " + raw);
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  /** The request body as JSON, or null when it is empty or not JSON. */
  static JsonNode parse(byte[] body) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** The {@code metadata} object of a body already validated, as strings. */
  static Map<String, String> metadataOf(JsonNode json) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    JsonNode m = json.get("metadata");
    if (m != null) {
      m.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }
}
