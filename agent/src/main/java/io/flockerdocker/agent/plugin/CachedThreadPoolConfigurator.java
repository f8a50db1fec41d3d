package io.flockerdocker.agent.plugin;

import com.typesafe.config.Config;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * Executor of {@code flocker-docker-uds-dispatcher}: an unbounded cached pool of daemon threads.
 * Every open unix-socket connection parks one thread in a blocking read, so a fixed pool would
 * deadlock once idle keep-alive connections outnumber it (jvm-stack.md, pitfall 4); the cap on
 * connections lives in {@link UnixSocketServer} instead.
 */
public final class CachedThreadPoolConfigurator extends ExecutorServiceConfigurator {

  public CachedThreadPoolConfigurator(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory unused) {
    AtomicInteger counter = new AtomicInteger();
    // daemon: a reader parked on a socket must never keep the JVM from exiting
    ThreadFactory named =
        r -> {
          Thread t = new Thread(r, "flocker-docker-uds-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ExecutorServiceFactory() {
      @Override
      public ExecutorService createExecutorService() {
        return Executors.newCachedThreadPool(named);
      }
    };
  }
}
