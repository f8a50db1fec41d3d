package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/** Message heads measured as the bytes HTTP/1.1 renders for them. */
class WireSizeTest {
  private static final String DATE = "Date: Sat, 05 Dec 2026 03:18:06 GMT\r\n";
  private static final String SERVER = "Server: flocker-control\r\n";

  @Test
  void getWithoutBodyIsRequestLineHeadersAndBlankLine() {
    HttpRequest get = HttpRequest.GET("/v1/state/nodes?x=1")
        .addHeader(RawHeader.create("Host", "127.0.0.1:4523"))
        .addHeader(RawHeader.create("If-None-Match", "\"7\""));

    assertThat(WireSize.requestHead(get)).isEqualTo(bytes(
        "GET /v1/state/nodes?x=1 HTTP/1.1\r\n"
            + "Host: 127.0.0.1:4523\r\n"
            + "If-None-Match: \"7\"\r\n"
            + "\r\n"));
  }

  @Test
  void postCountsTheEntityHeadersPekkoKeepsOnTheEntity() {
    HttpRequest post = HttpRequest.POST("/v1/configuration/datasets")
        .withEntity(ContentTypes.APPLICATION_JSON, "{\"a\":1}");

    assertThat(WireSize.requestHead(post)).isEqualTo(bytes(
        "POST /v1/configuration/datasets HTTP/1.1\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 7\r\n"
            + "\r\n"));
  }

  @Test
  void responseAddsServerAndDateAndItsHeaders() {
    HttpResponse ok = HttpResponse.create().withStatus(StatusCodes.OK)
        .addHeader(RawHeader.create("ETag", "\"12\""))
        .withEntity(ContentTypes.APPLICATION_JSON, "[]");

    assertThat(WireSize.responseHead(ok)).isEqualTo(bytes(
        "HTTP/1.1 200 OK\r\n" + SERVER + DATE
            + "ETag: \"12\"\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 2\r\n"
            + "\r\n"));
  }

  @Test
  void notModifiedHasNoEntityHeaders() {
    HttpResponse notModified = HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED);

    assertThat(WireSize.responseHead(notModified)).isEqualTo(bytes(
        "HTTP/1.1 304 Not Modified\r\n" + SERVER + DATE + "\r\n"));
  }

  private static long bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII).length;
  }
}
