package io.flockerdocker.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** Test HTTP client for the control API: raw status, headers and JSON body, no interpretation. */
final class ApiClient {
  record Response(int status, JsonNode json, String body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpClient http;
  private final String base;

  ApiClient(String url) {
    this(url, null);
  }

  ApiClient(String url, SSLContext tls) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
    this.base = url + "/v1";
  }

  Response get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    return send(headers.length == 0 ? b : b.headers(headers));
  }

  /** A GET that may be held by the server (a watch): sent without the 20 s request timeout. */
  java.util.concurrent.CompletableFuture<Response> getAsync(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Response(r.statusCode(), parse(r.body()), r.body(),
            r.headers().map()));
  }

  private static JsonNode parse(String body) {
    try {
      return body.isEmpty() ? null : Json.mapper().readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  Response post(String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(headers.length == 0 ? b : b.headers(headers));
  }

  Response put(String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    return send(headers.length == 0 ? b : b.headers(headers));
  }

  Response delete(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).DELETE();
    return send(headers.length == 0 ? b : b.headers(headers));
  }

  Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(request.timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    try {
      json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
    } catch (IOException notJson) {
      // 404/405 from the router are not JSON, like Flocker's HTML answers
    }
    return new Response(r.statusCode(), json, r.body(), r.headers().map());
  }

  /** Creates a dataset on {@code primary} and returns its id (asserting 201). */
  String create(String primary, String extraJson) throws IOException, InterruptedException {
    Response r = post("/configuration/datasets",
        "{\"primary\":\"" + primary + "\"" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}");
    if (r.status() != 201) {
      throw new AssertionError("create failed: " + r.status() + " " + r.body());
    }
    return r.json().get("dataset_id").asText();
  }

  /** The state entry of {@code id}, or null when absent. */
  JsonNode state(String id) throws IOException, InterruptedException {
    for (JsonNode n : get("/state/datasets").json()) {
      if (n.get("dataset_id").asText().equals(id)) {
        return n;
      }
    }
    return null;
  }
}
