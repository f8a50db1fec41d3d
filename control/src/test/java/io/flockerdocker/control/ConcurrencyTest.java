package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** Linearisable mutations: racing conditional creates and duplicate ids have exactly one winner. */
class ConcurrencyTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;
  static String node1;
  static final ExecutorService pool = Executors.newFixedThreadPool(8);

  @BeforeAll
  static void start() throws Exception {
    node1 = UUID.randomUUID().toString();
    service = ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    pool.shutdownNow();
    service.stop().toCompletableFuture().get();
  }

  private static List<Integer> race(int n, CallableRequest request) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(n);
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          barrier.await();
          return request.status(index);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, pool));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<Integer> f : all) {
      statuses.add(f.get());
    }
    return statuses;
  }

  interface CallableRequest {
    int status(int index) throws Exception;
  }

  @RepeatedTest(5)
  void conditionalCreatesWithTheSameTagHaveOneWinner() throws Exception {
    String tag = api.get("/configuration/datasets").header("X-Configuration-Tag");
    List<Integer> statuses = race(4, i -> api.post("/configuration/datasets",
        "{\"primary\":\"" + node1 + "\"}", "X-If-Configuration-Matches", tag).status());
    assertThat(statuses).containsOnly(201, 412);
    assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
  }

  @RepeatedTest(5)
  void duplicateCreatesHaveOneWinner() throws Exception {
    String id = UUID.randomUUID().toString();
    List<Integer> statuses = race(4, i -> api.post("/configuration/datasets",
        "{\"primary\":\"" + node1 + "\",\"dataset_id\":\"" + id + "\"}").status());
    assertThat(statuses).containsOnly(201, 409);
    assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
  }

  @RepeatedTest(3)
  void racingLeaseAcquiresFromTwoNodesHaveOneHolder() throws Exception {
    String ds = UUID.randomUUID().toString();
    String[] nodes = {node1, UUID.randomUUID().toString()};
    List<Integer> statuses = race(2, i -> api.post("/configuration/leases",
        "{\"dataset_id\":\"" + ds + "\",\"node_uuid\":\"" + nodes[i] + "\",\"expires\":10}")
        .status());
    assertThat(statuses).containsExactlyInAnyOrder(201, 409);
  }
}
