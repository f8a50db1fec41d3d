package io.flockerdocker.agent.support;

/**
 * Text from a client or from the network as a log line shows it: control characters escaped,
 * so a mount ID with a newline cannot forge a second log line, and very long values cut.
 */
public final class LogText {
  private static final int MAX = 1000;

  private LogText() {}

  /** {@code value} with CR, LF, TAB and other control characters as \n, \r, \t or \\uXXXX. */
  public static String escape(String value) {
    if (value == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder(Math.min(value.length(), MAX) + 16);
    int n = Math.min(value.length(), MAX);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (value.length() > MAX) {
      b.append("...(").append(value.length()).append(" chars)");
    }
    return b.toString();
  }
}
