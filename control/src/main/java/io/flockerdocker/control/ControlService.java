package io.flockerdocker.control;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flocker-compatible control service: the v1 REST API (HTTP on loopback, or mTLS), the
 * durable configuration and the hosts' in-memory reports, on its own ActorSystem.
 */
public final class ControlService {
  private static final Logger log = LoggerFactory.getLogger(ControlService.class);
  private static final Config PEKKO = ConfigFactory.parseString(String.join("\n",
      "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
      "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
      "pekko.loglevel = INFO",
      "pekko.http.server.server-header = \"" + WireSize.SERVER + "\"",
      // host reports are authorised by the client certificate's CN, read from the session
      "pekko.http.server.parsing.ssl-session-attribute = on"));

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ConfigurationStore store;
  private final String url;
  private final ReportStore reports;
  private final ChangeNotifier changes;
  private final TrafficCounters traffic;

  private ControlService(ActorSystem<Void> system, ServerBinding binding, ConfigurationStore store,
      ReportStore reports, ChangeNotifier changes,
      ControlSettings settings, TrafficCounters traffic) {
    this.changes = changes;
    this.system = system;
    this.binding = binding;
    this.store = store;
    this.reports = reports;
    this.traffic = traffic;
    String host = settings.listen().contains(":") ? "[" + settings.listen() + "]"
        : settings.listen();
    this.url = (settings.tls() ? "https" : "http") + "://" + host + ":"
        + binding.localAddress().getPort();
  }

  /**
   * Loads the configuration and binds. The blocking disk work (reading the configuration and
   * the PEM files) happens on the caller's thread; a corrupt configuration fails the stage with
   * {@link CorruptConfigurationException}.
   */
  public static CompletionStage<ControlService> start(ControlSettings settings) {
    ConfigurationStore store;
    ReportStore reports;
    SSLContext tls;
    Config config = PEKKO.withFallback(ConfigFactory.load());
    ControlTuning tuning;
    try {
      tuning = ControlTuning.create(config);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ChangeNotifier changes = new ChangeNotifier(tuning.maxWatchers());
    ChangeLog history = new ChangeLog(changes.boot(), tuning.changesKept());
    try {
      Files.createDirectories(settings.dataDir());
      tls = settings.tls() ? PemTls.serverContext(settings.tlsDir()) : null;
      store = ConfigurationStore.open(new ConfigurationFile(settings.configurationFile()),
          Clock.systemUTC(), changes, history, tuning.snapshotEvery());
      reports = ReportStore.open(settings.dataDir().resolve("reports"), changes, history);
    } catch (IOException | GeneralSecurityException | CorruptConfigurationException e) {
      changes.close();
      return CompletableFuture.failedFuture(e);
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flocker-control", config);
    ServerBuilder builder = Http.get(system).newServerAt(settings.listen(), settings.port());
    if (tls != null) {
      builder = builder.enableHttps(ConnectionContext.httpsServer(() -> PemTls.serverEngine(tls)));
    }
    TrafficCounters traffic = new TrafficCounters();
    boolean extended = settings.extensions() && tuning.extensions();
    Versions versions = extended ? new Versions(store, reports, changes) : null;
    StateRoutes state = new StateRoutes(reports, store::current, settings.tls(), versions);
    ExtensionRoutes x = extended ? new ExtensionRoutes(store, changes, versions,
        new ChangeFeed(history, store, reports, tuning.changesMaxBatch()), tuning, state) : null;
    Route route = traffic.counting(new ControlRoutes(store, state, x, versions).route());
    return builder.bind(route).handle((binding, error) -> {
      if (error != null) {
        changes.close();
        store.close();
        reports.close();
        system.terminate();
        throw new CompletionException(error);
      }
      ControlService service = new ControlService(system, binding, store, reports, changes,
          settings, traffic);
      log.info("Flocker control service listening on [{}], API extensions [{}]", service.url(),
          extended ? ExtensionRoutes.ADVERTISED : "off");
      return service;
    });
  }

  /** Base URL without the {@code /v1} suffix, e.g. {@code https://10.0.0.5:4523}. */
  public String url() {
    return url;
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** Stops accepting, lets requests in flight finish (5 s at most), closes the stores, then ends. */
  public CompletionStage<Void> stop() {
    // terminate, not just unbind: requests already accepted finish (or time out) before the
    // stores' writers close, instead of failing with a rejected task and a 500
    return binding.terminate(java.time.Duration.ofSeconds(5))
        .thenRun(() -> {
          changes.close();
          store.close();
          reports.close();
        })
        .thenCompose(done -> {
          system.terminate();
          return system.getWhenTerminated();
        })
        .thenApply(done -> null);
  }

  /** Completes when the service's ActorSystem has terminated (for whatever reason). */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Requests answered since start (the benchmarks' idle-traffic figure). */
  public long requestCount() {
    return traffic.requests();
  }

  /** Watches parked now (the benchmarks check that idle agents wait instead of polling). */
  public int watchers() {
    return changes.waiting();
  }

  /** Response body bytes sent since start. */
  public long responseBytes() {
    return traffic.responseBody();
  }

  /** Response head bytes (status line and headers, approximated) sent since start. */
  public long responseHeadBytes() {
    return traffic.responseHead();
  }

  /** Request body bytes received since start (hosts' state reports are most of them). */
  public long requestBytes() {
    return traffic.requestBody();
  }

  /** Request head bytes (request line and headers, approximated) received since start. */
  public long requestHeadBytes() {
    return traffic.requestHead();
  }

  /**
   * Adds {@code count} datasets named {@code prefix<from>..} (metadata {@code name}), dealt
   * round-robin to {@code nodeUuids}, in one configuration commit: the scale benchmark's "cluster
   * that already holds N volumes". The hosts' dataset agents then create them.
   */
  public CompletionStage<Void> preload(String prefix, int from, int count,
      List<String> nodeUuids) {
    List<DatasetConfiguration> ds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ds.add(new DatasetConfiguration(UUID.randomUUID().toString(),
          nodeUuids.get(i % nodeUuids.size()), false,
          Map.of(DatasetConfiguration.NAME_KEY, prefix + (from + i)), null));
    }
    return store.preload(ds);
  }
}
