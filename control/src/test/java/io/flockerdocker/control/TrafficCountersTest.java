package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' traffic counters: every request, the body sizes both ways, and the heads (start
 * line and headers) both ways.
 */
class TrafficCountersTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    service = ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  @Test
  void countsRequestsAndBodyBytesBothWays() throws Exception {
    long requests = service.requestCount();
    long out = service.responseBytes();
    long in = service.requestBytes();

    ApiClient.Response list = api.get("/configuration/datasets");
    String body = "{\"primary\":\"" + UUID.randomUUID() + "\",\"metadata\":{\"name\":\"c\"}}";
    ApiClient.Response created = api.post("/configuration/datasets", body);

    assertThat(service.requestCount() - requests).isEqualTo(2);
    assertThat(service.requestBytes() - in)
        .isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
    assertThat(service.responseBytes() - out).isEqualTo(
        list.body().getBytes(StandardCharsets.UTF_8).length
            + created.body().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void countsTheResponseHeadAsItArrived() throws Exception {
    long head = service.responseHeadBytes();

    ApiClient.Response list = api.get("/configuration/datasets");

    long arrived = "HTTP/1.1 200 OK\r\n".length() + 2;
    for (var h : list.headers().entrySet()) {
      for (String value : h.getValue()) {
        arrived += h.getKey().length() + 2 + value.length() + 2;
      }
    }
    assertThat(service.responseHeadBytes() - head).isEqualTo(arrived);
  }

  @Test
  void countsARequestHeadWithoutBody() throws Exception {
    long head = service.requestHeadBytes();
    long body = service.requestBytes();

    api.get("/configuration/datasets");

    assertThat(service.requestBytes() - body).isZero();
    assertThat(service.requestHeadBytes() - head).as("request line, Host, blank line")
        .isGreaterThan("GET /v1/configuration/datasets HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n"
            .length());
  }
}
