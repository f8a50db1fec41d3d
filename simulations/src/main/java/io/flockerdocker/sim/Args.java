package io.flockerdocker.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line arguments of one subcommand: {@code --name value} options, {@code --flag}
 * switches and positional words. Anything unexpected is a {@link UsageException} whose message
 * is the one-line reason the launcher contract asks for.
 */
public final class Args {
  /** A bad command line; Subcommands prints the message and exits 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> options = new HashMap<>();
  private final Set<String> flags;
  private final List<String> positionals = new ArrayList<>();
  private final Set<String> seenFlags = new java.util.HashSet<>();

  private Args(Set<String> flags) {
    this.flags = flags;
  }

  /** {@code valued}: options that take a value; {@code flags}: options that take none. */
  public static Args parse(String[] args, Set<String> valued, Set<String> flags) {
    Args a = new Args(flags);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (flags.contains(arg)) {
        a.seenFlags.add(arg);
      } else if (valued.contains(arg)) {
        if (i + 1 >= args.length) {
          throw new UsageException(arg + " needs a value");
        }
        a.options.put(arg, args[++i]);
      } else if (arg.startsWith("--") && arg.contains("=")
          && valued.contains(arg.substring(0, arg.indexOf('=')))) {
        a.options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else if (arg.startsWith("-")) {
        throw new UsageException("unknown option " + arg);
      } else {
        a.positionals.add(arg);
      }
    }
    return a;
  }

  public boolean flag(String name) {
    return seenFlags.contains(name);
  }

  public String required(String name) {
    String v = options.get(name);
    if (v == null || v.isBlank()) {
      throw new UsageException(name + " is required");
    }
    return v;
  }

  public String optional(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  public int intValue(String name, int fallback, int min, int max) {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new UsageException(name + " must be between " + min + " and " + max + ", got "
            + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number, got '" + v + "'");
    }
  }

  public List<String> positionals() {
    return List.copyOf(positionals);
  }

  /** Fails unless there are exactly {@code n} positional words, named in {@code what}. */
  public List<String> positionals(int n, String what) {
    if (positionals.size() != n) {
      throw new UsageException("expected " + what + ", got " + positionals.size()
          + " argument(s)");
    }
    return positionals();
  }
}
