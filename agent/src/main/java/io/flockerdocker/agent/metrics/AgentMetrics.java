package io.flockerdocker.agent.metrics;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One agent's Prometheus registry and instruments (one per agent, never the global default, so
 * several agents in one JVM stay apart). Counters are bumped at the one place each event passes;
 * leases and cluster members are read from the read models at scrape time.
 */
public final class AgentMetrics {
  private static final double[] LATENCY_BUCKETS =
      {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicInteger mountsActive = new AtomicInteger();
  private final Counter pluginRequests = Counter.builder()
      .name("flocker_docker_plugin_requests_total")
      .help("Docker plugin requests answered, by endpoint").labelNames("endpoint")
      .register(registry);
  private final Counter pluginErrors = Counter.builder()
      .name("flocker_docker_plugin_errors_total")
      .help("Docker plugin requests answered with an Err, by endpoint").labelNames("endpoint")
      .register(registry);
  private final Histogram pluginLatency = Histogram.builder()
      .name("flocker_docker_plugin_request_duration_seconds")
      .help("Time to answer a Docker plugin request, by endpoint").labelNames("endpoint")
      .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
  private final Counter moves = Counter.builder()
      .name("flocker_docker_moves_total")
      .help("Dataset moves to this node: started, finished, failed").labelNames("event")
      .register(registry);
  private final Histogram moveDuration = Histogram.builder()
      .name("flocker_docker_move_duration_seconds")
      .help("Time from the move request until the dataset is on this node, by outcome")
      .labelNames("outcome").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);
  private final Counter transfers = Counter.builder()
      .name("flocker_docker_dataset_transfers_total")
      .help("Dataset pulls (or shared hand-offs) into this host, by outcome: ok or the failure"
          + " kind").labelNames("outcome").register(registry);
  private final Counter bytesReceived = Counter.builder()
      .name("flocker_docker_dataset_bytes_received_total")
      .help("File content bytes received by dataset pulls (holes and kept files excluded)")
      .register(registry);
  private final Counter flockerCalls = Counter.builder()
      .name("flocker_docker_flocker_calls_total")
      .help("Calls to the Flocker control service, by endpoint and outcome")
      .labelNames("endpoint", "outcome").register(registry);

  /** {@code selfUuid}: this node, whose leases count as held; the read models are polled. */
  public AgentMetrics(String selfUuid, Nodes nodes, VolumeCatalog catalog) {
    GaugeWithCallback.builder().name("flocker_docker_mounts_active")
        .help("Docker mount IDs active on this node (all volumes)")
        .callback(cb -> cb.call(mountsActive.get())).register(registry);
    GaugeWithCallback.builder().name("flocker_docker_leases_held")
        .help("Flocker leases held by this node, as of the last control-service read")
        .callback(cb -> cb.call(catalog.snapshot().leases().stream()
            .filter(l -> selfUuid.equals(l.nodeUuid())).count()))
        .register(registry);
    GaugeWithCallback.builder().name("flocker_docker_cluster_members")
        .help("Cluster members this node sees, by member status and reachability")
        .labelNames("status", "reachable")
        .callback(cb -> membersByStatus(nodes).forEach((key, n) ->
            cb.call(n, key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1))))
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** One plugin reply, {@code error} when it carried an Err. */
  public void pluginRequest(String endpoint, boolean error, long nanos) {
    pluginRequests.labelValues(endpoint).inc();
    if (error) {
      pluginErrors.labelValues(endpoint).inc();
    }
    pluginLatency.labelValues(endpoint).observe(nanos / 1e9);
  }

  public void moveStarted() {
    moves.labelValues("started").inc();
  }

  public void moveEnded(boolean ok, long nanos) {
    moves.labelValues(ok ? "finished" : "failed").inc();
    moveDuration.labelValues(ok ? "finished" : "failed").observe(nanos / 1e9);
  }

  /** A pull that completed; {@code contentBytes} of file content crossed the network. */
  public void transferOk(long contentBytes) {
    transfers.labelValues("ok").inc();
    bytesReceived.inc(contentBytes);
  }

  /** A pull that failed, by its TransferException kind. */
  public void transferFailed(TransferException.Kind kind) {
    transfers.labelValues(kind.name().toLowerCase(java.util.Locale.ROOT)).inc();
  }

  /** {@code outcome}: "ok" or the lower-case FlockerException kind. */
  public void flockerCall(String endpoint, String outcome) {
    flockerCalls.labelValues(endpoint, outcome).inc();
  }

  /** The MountTable reports its total after every journaled change. */
  public void mountsActive(int total) {
    mountsActive.set(total);
  }

  private static Map<String, Integer> membersByStatus(Nodes nodes) {
    Map<String, Integer> out = new TreeMap<>();
    for (NodeInfo n : nodes.all()) {
      out.merge(n.status() + "/" + n.reachable(), 1, Integer::sum);
    }
    return out;
  }
}
