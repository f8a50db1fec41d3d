package io.flockerdocker.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.agent.AdminClient;
import io.flockerdocker.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the multi-node fault tests do to a {@link LocalCluster}: plugin calls over each node's
 * real socket (each on its own connection, bounded in time), the status and control HTTP APIs,
 * SIGSTOP/SIGCONT, and bounded waits that fail saying what they waited for.
 */
final class Faults {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Faults() {}

  /** A plugin request that has not answered yet (runs on its own connection and thread). */
  interface Call {
    PluginClient.Reply apply(PluginClient c) throws Exception;
  }

  static CompletableFuture<PluginClient.Reply> async(LocalCluster c, int node, Call call) {
    return CompletableFuture.supplyAsync(() -> {
      try (PluginClient client = new PluginClient(c.agent(node).layout().socket())) {
        return call.apply(client);
      } catch (Exception e) {
        throw new IllegalStateException("node" + node + " plugin call failed: " + e, e);
      }
    });
  }

  /** Waits for a reply up to {@code limit}; fails saying which call did not answer. */
  static PluginClient.Reply await(CompletableFuture<PluginClient.Reply> f, Duration limit,
      String what) throws Exception {
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": no answer within " + limit.toSeconds() + "s");
    }
  }

  static PluginClient.Reply call(LocalCluster c, int node, Call call) throws Exception {
    return await(async(c, node, call), Duration.ofSeconds(110), "node" + node + " request");
  }

  /** Repeats {@code check} until it holds, failing with {@code what} after {@code limit}. */
  static void until(Duration limit, String what, Check check) throws Exception {
    Instant end = Instant.now().plus(limit);
    Object last = null;
    while (true) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("waited " + limit.toSeconds() + "s for: " + what
            + (last == null ? "" : " (last failure: " + last + ")"));
      }
      Thread.sleep(300);
    }
  }

  /** A condition polled by {@link #until}. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code attempt} until {@code accept} holds; returns the accepted value. */
  static <T> T untilValue(Duration limit, String what, Supplier<T> attempt,
      java.util.function.Predicate<T> accept) throws Exception {
    Object[] box = new Object[1];
    until(limit, what, () -> {
      box[0] = attempt.get();
      return accept.test(unchecked(box[0]));
    });
    return unchecked(box[0]);
  }

  @SuppressWarnings("unchecked")
  private static <T> T unchecked(Object o) {
    return (T) o;
  }

  record Http(int status, JsonNode body) {}

  static Http http(String method, String url) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body = r.body().length == 0 ? Json.mapper().createObjectNode()
        : Json.mapper().readTree(r.body());
    return new Http(r.statusCode(), body);
  }

  /** POST /v1/volumes/V/release?from=NODE on node's admin socket: the operator's recovery. */
  static Http release(LocalCluster c, int node, String volume, String from) throws Exception {
    AdminClient.Reply r = AdminClient.post(c.agent(node).layout().adminSocket(),
        "/v1/volumes/" + volume + "/release?from=" + from);
    return new Http(r.status(), r.body().isEmpty() ? Json.mapper().createObjectNode()
        : Json.mapper().readTree(r.body()));
  }

  /** The same POST on the TCP status port, which must refuse it. */
  static Http releaseOverTcp(LocalCluster c, int node, String volume, String from)
      throws Exception {
    return http("POST", c.agent(node).layout().statusUrl() + "/v1/volumes/" + volume
        + "/release?from=" + from + "&force=true");
  }

  /** The entity's view of a volume as node {@code node}'s status endpoint shows it. */
  static JsonNode volumeStatus(LocalCluster c, int node, String volume) throws Exception {
    return http("GET", c.agent(node).layout().statusUrl() + "/v1/volumes/" + volume).body();
  }

  /** The control service's leases as {dataset id: node uuid}. */
  static Map<String, String> leases(LocalCluster c) throws Exception {
    JsonNode list = http("GET", c.control().url() + "/v1/configuration/leases").body();
    Map<String, String> out = new java.util.HashMap<>();
    list.forEach(l -> out.put(l.path("dataset_id").asText(), l.path("node_uuid").asText()));
    return out;
  }

  /** The dataset id the control service has for a volume name, or null. */
  static String datasetOf(LocalCluster c, String volume) throws Exception {
    for (JsonNode d : http("GET", c.control().url() + "/v1/configuration/datasets").body()) {
      if (volume.equals(d.path("metadata").path("name").asText()) && !d.path("deleted")
          .asBoolean()) {
        return d.path("dataset_id").asText();
      }
    }
    return null;
  }

  static String primaryOf(LocalCluster c, String volume) throws Exception {
    for (JsonNode d : http("GET", c.control().url() + "/v1/configuration/datasets").body()) {
      if (volume.equals(d.path("metadata").path("name").asText())) {
        return d.path("primary").asText();
      }
    }
    return null;
  }

  /** kill -STOP / -CONT: the process stays, but answers nothing (a hung or cut-off host). */
  static void signal(AgentProcess a, String sig) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(a.pid())).start();
    if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + a.pid() + " failed");
    }
  }

  /** Brings every agent back (restarting dead ones) and waits until all are ready. */
  static void allUp(LocalCluster c) throws Exception {
    for (AgentProcess a : c.agents()) {
      if (!a.alive()) {
        a.start();
      }
    }
    c.awaitReady(Duration.ofSeconds(60));
  }
}
