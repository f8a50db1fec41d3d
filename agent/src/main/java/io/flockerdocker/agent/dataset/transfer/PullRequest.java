package io.flockerdocker.agent.dataset.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The request line of one pull ({@code {"dataset_id", "node", "have": N}}, then N {@link
 * HaveEntry} lines), and the bounded line I/O both ends use before the binary stream starts.
 */
record PullRequest(
    @JsonProperty("dataset_id") String datasetId,
    @JsonProperty("node") String node,
    @JsonProperty("have") long have) {

  /** No request, have or response line is longer; a longer one is a bad request. */
  static final int MAX_LINE = 16 * 1024;
  /** A have-list longer than this is refused (it lives in the server's memory). */
  static final long MAX_HAVE = 20_000_000;

  /** One '\n'-terminated UTF-8 line without its terminator, or null at end of stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  static void writeLine(OutputStream out, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }
}
