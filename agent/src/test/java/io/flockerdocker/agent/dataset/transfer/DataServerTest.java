package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own duties: a bounded pool that answers {@code ERR busy}, and a close that ends live transfers. */
class DataServerTest {
  @TempDir Path tmp;

  TlsDataServer plainServer(Path src) {
    return TlsDataServer.start(
        "127.0.0.1", 0, null, (id, r) -> SourceResolver.Decision.serve(src), Duration.ofSeconds(30));
  }

  @Test
  void connectionsBeyondThePoolAreToldBusy() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (TlsDataServer server = plainServer(tmp)) {
      for (int i = 0; i < TlsDataServer.MAX_CONNECTIONS; i++) {
        idle.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
      }
      try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        extra.setSoTimeout(5000);
        assertEquals("ERR busy", PullRequest.readLine(extra.getInputStream()));
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void closeEndsATransferInFlightPromptly() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    TestTrees.big(src.resolve("big.bin"), 64 << 20);
    // an idle timeout far beyond the hang net below: a close that waited for the stalled stream
    // would hang, not merely be slow
    TlsDataServer server = TlsDataServer.start("127.0.0.1", 0, null,
        (id, r) -> SourceResolver.Decision.serve(src), Duration.ofMinutes(10));
    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      stalled.getOutputStream().write(
          "{\"dataset_id\":\"ds\",\"node\":\"n\",\"have\":0}\n".getBytes(StandardCharsets.UTF_8));
      InputStream in = stalled.getInputStream();
      assertEquals("OK", PullRequest.readLine(in));
      Thread.sleep(300); // the sender fills the socket buffers and blocks: we read no more
      assertTimeoutPreemptively(Duration.ofSeconds(60), server::close,
          "close waited for the stalled stream");
      stalled.setSoTimeout(5000);
      byte[] sink = new byte[1 << 16];
      try {
        while (in.read(sink) >= 0) {
          // drain what was in flight; then EOF or a reset, not silence
        }
      } catch (SocketTimeoutException stillOpen) {
        fail("the server left the transfer's socket open");
      } catch (IOException reset) {
        // a reset is as good as EOF: the server closed the socket
      }
    }
    try (Socket late = new Socket()) {
      assertThrows(
          IOException.class,
          () -> late.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 1000),
          "no longer accepting");
    }
  }
}
