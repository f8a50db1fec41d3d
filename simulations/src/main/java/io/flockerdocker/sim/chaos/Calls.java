package io.flockerdocker.sim.chaos;

import io.flockerdocker.sim.scenario.PluginClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Plugin calls held to Docker's budget: Create and Mount must answer within 120 s, everything
 * else within 60 s. A call runs on its own thread and is abandoned (its connection closed) a few
 * seconds after its budget; a missing answer is reported as a violation and yields null.
 */
final class Calls implements AutoCloseable {
  static final Duration MOUNT_BUDGET = Duration.ofSeconds(120);
  static final Duration OTHER_BUDGET = Duration.ofSeconds(60);
  private static final Duration SLACK = Duration.ofSeconds(5);

  /** One plugin request. */
  interface Request {
    PluginClient.Reply send(PluginClient client) throws IOException;
  }

  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "chaos-call");
    t.setDaemon(true);
    return t;
  });

  /**
   * Sends {@code request} through {@code client}; reports {@code what} through {@code violation}
   * if no answer came within {@code budget} (or the connection failed), and then returns null.
   */
  PluginClient.Reply call(String what, PluginClient client, Duration budget, Request request,
      Consumer<String> violation) throws InterruptedException {
    Future<PluginClient.Reply> f = pool.submit(() -> request.send(client));
    try {
      return f.get(budget.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      closeQuietly(client);
      f.cancel(true);
      violation.accept(what + ": no answer within Docker's budget of " + budget.toSeconds() + "s");
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      closeQuietly(client);
      violation.accept(what + ": no answer, the connection failed: " + e.getCause());
      return null;
    }
  }

  static Duration budgetOf(String op) {
    return op.equals("Create") || op.equals("Mount") ? MOUNT_BUDGET : OTHER_BUDGET;
  }

  private static void closeQuietly(PluginClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // the connection is abandoned anyway
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
