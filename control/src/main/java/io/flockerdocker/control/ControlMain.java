package io.flockerdocker.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flockerdocker.protocol.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CLI of the embedded control service: starts it, prints one JSON line
 * {@code {"control":url,"nodes":[...]}} when ready, and runs until SIGTERM/SIGINT.
 */
public final class ControlMain {
  private ControlMain() {}

  /** Runs the service; returns an exit code only on help (0) or failure (2). */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    ControlArgs parsed;
    try {
      parsed = ControlArgs.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("control: " + e.getMessage());
      return 2;
    }
    if (parsed.help()) {
      out.println(ControlArgs.USAGE);
      return 0;
    }
    ControlService service;
    List<NodeSpec> nodes;
    try {
      nodes = NodesFile.resolve(parsed.dataDir(), parsed.nodes());
      ControlSettings settings = ControlSettings.defaults(parsed.dataDir())
          .withPort(parsed.port())
          .withTlsDir(parsed.tlsDir())
          .withNodes(nodes)
          .withMoveDelay(Duration.ofMillis(parsed.moveDelayMs()))
          .withBytesPerSecond(parsed.bytesPerSecond());
      service = ControlService.start(settings).toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("control: cannot start: " + rootMessage(e));
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.stop().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("control: unclean stop: " + rootMessage(e));
      }
    }, "flocker-control-shutdown"));
    out.println(readyLine(service, nodes));
    out.flush();
    // the main thread waits; SIGTERM runs the hook, which terminates the system
    service.whenTerminated().toCompletableFuture().join();
    return 0;
  }

  static String readyLine(ControlService service, List<NodeSpec> nodes) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("control", service.url());
    ArrayNode array = line.putArray("nodes");
    for (NodeSpec n : nodes) {
      array.addObject().put("name", n.name()).put("uuid", n.uuid())
          .put("root", n.datasetRoot().toString());
    }
    return line.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
        .replace('\n', ' ');
  }
}
