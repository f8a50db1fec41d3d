package io.flockerdocker.control;

import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * CLI of the control service ({@code control}, dispatched to by the agent jar's Main): starts it
 * and runs until SIGTERM/SIGINT. Exit 2 with one line on stderr when it cannot start.
 */
public final class ControlMain {
  private ControlMain() {}

  /** Runs the service; returns only on help (0), failure to start (2) or after termination (0). */
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
    ControlSettings settings = new ControlSettings(parsed.listen(), parsed.port(),
        parsed.dataDir(), parsed.tlsDir());
    ControlService service;
    try {
      service = ControlService.start(settings).toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      err.println("control: " + (cause instanceof CorruptConfigurationException
          ? cause.getMessage() : "cannot start: " + rootMessage(cause)));
      return 2;
    } catch (TimeoutException e) {
      err.println("control: cannot start: no answer from the HTTP server within 60 s");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("control: interrupted while starting");
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(service),
        "flocker-control-shutdown"));
    // the main thread waits; SIGTERM runs the hook, which terminates the system
    service.whenTerminated().toCompletableFuture().join();
    return 0;
  }

  private static void stop(ControlService service) {
    try {
      service.stop().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("control: unclean stop: " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
        .replace('\n', ' ');
  }
}
