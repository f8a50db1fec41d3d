package io.flockerdocker.agent.status;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, enough to prove a scrape is valid: every
 * line is HELP, TYPE or a sample; every sample belongs to a family TYPEd before it; label values
 * are quoted and escaped; values are floats. Returns samples as "name{labels}" to value.
 */
final class PromText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern TYPE = Pattern.compile(
      "# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped|info|stateset|unknown)");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL
      + "(?:," + LABEL + ")*,?)?\\})? (\\S+)(?: -?\\d+)?");
  private static final String[] SUFFIXES = {"_bucket", "_count", "_sum", "_total", "_created",
      "_info"};

  private PromText() {}

  static Map<String, Double> parse(String text) {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("text format must end with a newline");
    }
    Set<String> families = new HashSet<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        if (!families.add(type.group(1))) {
          throw new IllegalArgumentException("line " + n + ": second TYPE for " + type.group(1));
        }
        continue;
      }
      if (HELP.matcher(line).matches() || line.isEmpty()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + n + " is not valid: " + line);
      }
      if (!families.contains(familyOf(m.group(1), families))) {
        throw new IllegalArgumentException("line " + n + ": no TYPE before " + m.group(1));
      }
      double value = switch (m.group(3)) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(m.group(3));
      };
      String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
      if (seen.merge(key, 1, Integer::sum) > 1) {
        throw new IllegalArgumentException("line " + n + ": duplicate sample " + key);
      }
      samples.put(key, value);
    }
    return samples;
  }

  private static String familyOf(String sample, Set<String> families) {
    if (families.contains(sample)) {
      return sample;
    }
    for (String suffix : SUFFIXES) {
      if (sample.endsWith(suffix)
          && families.contains(sample.substring(0, sample.length() - suffix.length()))) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    return sample;
  }
}
