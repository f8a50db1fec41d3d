package io.flockerdocker.control.ca;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CLI of {@code ca} ({@code init}, {@code node}, {@code user}), dispatched to by the agent jar's
 * Main. Exit 0 on success, 2 with one line on stderr for bad arguments or a refused write.
 */
public final class CaMain {
  static final String USAGE = String.join("\n",
      "usage: ca init --dir D [--control-address HOST]...",
      "       ca node --dir D --name NAME --address ADDR [--uuid U]   (prints the node UUID)",
      "       ca user --dir D --name NAME",
      "  init  the cluster CA (cluster.crt/.key) and control-service.crt/.key in D",
      "  node  D/NAME/node.crt, node.key and cluster.crt for one host",
      "  user  D/NAME.crt and D/NAME.key for an API client (CN user-NAME)");

  private CaMain() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("ca: a command is required: init, node or user (see --help)");
      return 2;
    }
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    try {
      CaArgs a = CaArgs.parse(args);
      switch (a.command()) {
        case "init" -> ClusterCa.init(a.dir(), a.controlAddresses());
        case "node" -> out.println(ClusterCa.node(a.dir(), a.name(), a.address(), a.uuid()));
        case "user" -> ClusterCa.user(a.dir(), a.name());
        default -> throw new IllegalStateException("CaArgs let through " + a.command());
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("ca: " + e.getMessage());
    } catch (FileAlreadyExistsException e) {
      err.println("ca: refusing to overwrite " + e.getFile());
    } catch (NoSuchFileException e) {
      err.println("ca: " + e.getFile() + " does not exist (run `ca init --dir DIR` first)");
    } catch (IOException | GeneralSecurityException e) {
      err.println("ca: " + e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).replace('\n', ' '));
    }
    return 2;
  }

  /** The parsed command line; only the fields of {@code command} are set. */
  record CaArgs(String command, Path dir, String name, String address, Optional<String> uuid,
      List<String> controlAddresses) {

    static CaArgs parse(String[] args) {
      String command = args[0];
      if (!List.of("init", "node", "user").contains(command)) {
        throw new IllegalArgumentException("unknown command: " + command);
      }
      Path dir = null;
      String name = null;
      String address = null;
      String uuid = null;
      List<String> control = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        String flag = args[i];
        String value = value(args, ++i, flag);
        switch (command + " " + flag) {
          case "init --dir", "node --dir", "user --dir" -> dir = Path.of(value);
          case "init --control-address" -> control.add(value);
          case "node --name", "user --name" -> name = value;
          case "node --address" -> address = value;
          case "node --uuid" -> uuid = value;
          default -> throw new IllegalArgumentException(
              "unknown argument for " + command + ": " + flag);
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("--dir D is required");
      }
      if (!command.equals("init") && name == null) {
        throw new IllegalArgumentException("--name NAME is required");
      }
      if (command.equals("node") && address == null) {
        throw new IllegalArgumentException("--address ADDR is required");
      }
      return new CaArgs(command, dir, name, address, Optional.ofNullable(uuid),
          List.copyOf(control));
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }
  }
}
