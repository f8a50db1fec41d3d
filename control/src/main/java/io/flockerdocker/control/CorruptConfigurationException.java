package io.flockerdocker.control;

import java.nio.file.Path;

/**
 * The configuration file exists but is not a configuration (bad JSON, {@code null}, wrong shape).
 * The service refuses to start rather than serve (and later overwrite) an empty configuration.
 */
public final class CorruptConfigurationException extends Exception {
  private final Path file;

  CorruptConfigurationException(Path file, String reason, Throwable cause) {
    super(file + " is corrupt (" + reason + "); restore it from a backup or move it aside to "
        + "start with an empty configuration", cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
