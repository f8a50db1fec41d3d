package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the extensions off the service is a plain Flocker v1 API: nothing advertised or added. */
class ExtensionsOffTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    service = ControlService.start(ControlSettings.defaults(data).withExtensions(false))
        .toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  @Test
  void noAdvertisementNoEtagNo304AndNoExtensionPaths() throws Exception {
    assertThat(api.get("/version").header("X-Control-Extensions")).isNull();
    ApiClient.Response list = api.get("/configuration/datasets");
    assertThat(list.header("ETag")).isNull();
    assertThat(list.header("X-Configuration-Tag")).isNotBlank();
    assertThat(api.get("/configuration/datasets", "If-None-Match", "*").status()).isEqualTo(200);
    assertThat(api.get("/state/datasets").header("ETag")).isNull();
    assertThat(api.get("/x/watch").status()).isEqualTo(404);
    assertThat(api.get("/x/changes").status()).isEqualTo(404);
    assertThat(api.get("/x/datasets-by-name/a").status()).isEqualTo(404);
    String host = UUID.randomUUID().toString();
    assertThat(api.put("/state/nodes/" + host, Reports.report(host, 1, 1)).header("ETag"))
        .isNull();
    assertThat(api.post("/x/heartbeat/" + host, "", "If-Match", "*").status()).isEqualTo(404);
    assertThat(api.put("/x/datasets-by-name/a", "{\"primary\":\"" + UUID.randomUUID() + "\"}",
        "If-None-Match", "*").status()).isEqualTo(404);
  }
}
