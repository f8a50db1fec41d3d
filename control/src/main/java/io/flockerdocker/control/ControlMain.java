package io.flockerdocker.control;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * CLI of the control service ({@code control}, dispatched to by the agent jar's Main): starts it
 * and runs until SIGTERM/SIGINT. Exit 2 with one line on stderr when it cannot start.
 */
@Command(name = "control", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "control --port P --data DIR [--tls-dir D] [--listen ADDR]",
    optionListHeading = "")
public final class ControlMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Option(names = "--port", paramLabel = "P", required = true,
      description = "REST API port (Flocker's is 4523; 0 = a free port)")
  int port;

  @Option(names = "--data", paramLabel = "DIR", required = true,
      description = "where configuration.json (datasets and leases) is kept")
  Path dataDir;

  @Option(names = "--tls-dir", paramLabel = "D",
      description = "serve HTTPS with mutual TLS from D/cluster.crt, control-service.crt/.key")
  Path tlsDir;

  @Option(names = "--listen", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = {"address to listen on (default ${DEFAULT-VALUE}); any other than loopback",
          "needs --tls-dir"})
  String listen;

  @Spec CommandSpec spec;

  private final PrintStream err;

  private ControlMain(PrintStream err) {
    this.err = err;
  }

  /**
   * Runs {@code control ARGS} with these streams; returns only on help (0), a bad command line or
   * failure to start (2), or after termination (0).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new CommandLine(new ControlMain(err))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExpandAtFiles(false)
        .setParameterExceptionHandler((e, argv) -> {
          err.println("control: " + e.getMessage().replace('\n', ' '));
          return 2;
        })
        .execute(args);
  }

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      throw usage("--port must be between 0 and 65535, got " + port);
    }
    if (tlsDir == null && !isLoopback(listen)) {
      // without TLS anyone who reaches the port could rewrite the configuration and the state
      throw usage("--listen " + listen + " is not a loopback address: "
          + "serving other hosts needs --tls-dir (plain HTTP has no authentication)");
    }
    ControlSettings settings = new ControlSettings(listen, port, dataDir, tlsDir);
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

  private boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw usage("--listen " + address + " does not resolve");
    }
  }

  private ParameterException usage(String reason) {
    return new ParameterException(spec.commandLine(), reason);
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
