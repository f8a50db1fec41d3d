package io.flockerdocker.agent.flocker;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API extensions a control service advertises in {@code X-Control-Extensions} on {@code GET
 * /v1/version} (docs/control-api-extensions.md); none from a plain Flocker control service.
 */
public record ControlExtensions(Set<String> names) {
  public static final String HEADER = "X-Control-Extensions";
  public static final String ETAG = "etag";
  public static final String WATCH = "watch";
  public static final String CREATE_IF_NAME_UNUSED = "create-if-name-unused";
  public static final String CHANGES = "changes";
  /** The change feed's entries carry every host's copies (docs/control-api-extensions.md §4). */
  public static final String CHANGES_COPIES = "changes-copies";
  public static final String DATASETS_BY_NAME = "datasets-by-name";
  public static final String HEARTBEAT = "heartbeat";
  public static final ControlExtensions NONE = new ControlExtensions(Set.of());

  public ControlExtensions {
    names = Set.copyOf(names);
  }

  /** Parses the header's comma-separated list; a missing header (null) means none. */
  public static ControlExtensions parse(String header) {
    if (header == null) {
      return NONE;
    }
    return new ControlExtensions(Arrays.stream(header.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.split(";")[0].strip())
        .collect(Collectors.toSet()));
  }

  public boolean has(String name) {
    return names.contains(name);
  }
}
