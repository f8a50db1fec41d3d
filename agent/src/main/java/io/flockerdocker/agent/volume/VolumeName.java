package io.flockerdocker.agent.volume;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which volume names the driver accepts. dockerd does not validate plugin volume names, so a
 * name can carry {@code /}, {@code ..} or a megabyte of text; we accept exactly the names the
 * {@code local} driver accepts, short enough to fit Flocker's 256-character metadata values.
 */
public final class VolumeName {
  public static final int MAX_LENGTH = 255;
  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  private VolumeName() {}

  /** Empty when {@code name} is valid, else the reason, fit for an Err. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("missing volume name");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "invalid volume name: longer than " + MAX_LENGTH + " characters (" + name.length()
              + ")");
    }
    if (!VALID.matcher(name).matches()) {
      return Optional.of(
          "invalid volume name '" + name
              + "': use 2 or more of [a-zA-Z0-9_.-], starting with a letter or digit");
    }
    return Optional.empty();
  }
}
