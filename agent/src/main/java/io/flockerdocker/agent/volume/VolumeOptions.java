package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.support.CborSerializable;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -o} options of {@code docker volume create -d flocker}: {@code size} (e.g. {@code
 * 10G}, {@code 512MiB}, rounded up to a multiple of 1024 and at least Flocker's 64 MiB) and
 * {@code profile}. Any other key is refused by name, so a typo never silently does nothing.
 */
public record VolumeOptions(Optional<Long> sizeBytes, Optional<String> profile)
    implements CborSerializable {
  public static final String SIZE = "size";
  public static final String PROFILE = "profile";
  public static final long MIN_SIZE = 64L * 1024 * 1024;
  private static final Pattern SIZE_PATTERN =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b?)", Pattern.CASE_INSENSITIVE);

  public static VolumeOptions none() {
    return new VolumeOptions(Optional.empty(), Optional.empty());
  }

  /** Parses dockerd's Opts map (empty for null); throws IllegalArgumentException with an Err. */
  public static VolumeOptions parse(Map<String, String> opts) {
    TreeSet<String> unknown = new TreeSet<>(opts.keySet());
    unknown.remove(SIZE);
    unknown.remove(PROFILE);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown option(s) " + String.join(", ", unknown) + ": valid options are size, profile");
    }
    Optional<Long> size = Optional.ofNullable(opts.get(SIZE)).map(VolumeOptions::parseSize);
    Optional<String> profile = Optional.ofNullable(opts.get(PROFILE)).map(String::trim);
    if (profile.isPresent() && (profile.get().isEmpty() || profile.get().length() > 256)) {
      throw new IllegalArgumentException("option profile must be 1-256 characters");
    }
    return new VolumeOptions(size, profile);
  }

  /** "10G", "10GB", "10GiB" are all 10 × 1024³: storage sizes in Docker land are binary. */
  static long parseSize(String raw) {
    Matcher m = SIZE_PATTERN.matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '" + raw + "': use a number with an optional unit, e.g. 512MiB or 10G");
    }
    int power = "bkmgtp".indexOf(m.group(2).isEmpty() ? 'b' : m.group(2).toLowerCase(Locale.ROOT)
        .charAt(0));
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
      throw new IllegalArgumentException("invalid size '" + raw + "': too large");
    }
    long rounded = (bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact() + 1023)
        / 1024 * 1024;
    if (rounded < MIN_SIZE) {
      throw new IllegalArgumentException(
          "invalid size '" + raw + "': Flocker datasets are at least 64MiB");
    }
    return rounded;
  }
}
