package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes damaged or cut in flight (plain TCP on loopback through a proxy) never land as data. */
class DamagedStreamTest {
  static final String MARKER = "MARKER-MARKER-MARKER";

  @TempDir Path tmp;
  Path src;
  Path staging;
  TlsDataServer server;
  TlsDataClient client;

  @BeforeEach
  void start() throws IOException {
    src = Files.createDirectory(tmp.resolve("src"));
    staging = tmp.resolve("staging");
    server =
        TlsDataServer.start(
            "127.0.0.1", 0, null, (id, r) -> SourceResolver.Decision.serve(src),
            Duration.ofSeconds(10));
    client =
        new TlsDataClient(null, TlsRoundTripTest.CLIENT, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  PullResult pull(int port) throws TransferException {
    return client.pull(new Peer("127.0.0.1", port, TlsRoundTripTest.SERVER), "ds", staging);
  }

  @Test
  void flippedContentByteIsCaughtAndNeverInstalled() throws Exception {
    TestTrees.many(src, 3);
    Files.writeString(src.resolve("victim"), MARKER + "payload".repeat(10_000));
    try (FaultyProxy proxy = FaultyProxy.flipAfter(server.port(), MARKER)) {
      TransferException e = assertThrows(TransferException.class, () -> pull(proxy.port()));
      assertEquals(TransferException.Kind.CHECKSUM, e.kind(), e.toString());
    }
    assertFalse(Files.exists(staging.resolve("victim")));
    try (Stream<Path> all = Files.walk(staging)) {
      List<Path> files = all.filter(Files::isRegularFile).toList();
      assertEquals(List.of(), files, "no file installed, no temp file left");
    }
    // the same pull without the proxy succeeds: the failure was the damage, not the tree
    pull(server.port());
    assertEquals(TreeSnapshot.of(src), TreeSnapshot.of(staging));
  }

  @Test
  void cutStreamRenamesAndDeletesNothing() throws Exception {
    TestTrees.many(src, 20);
    TestTrees.big(src.resolve("big.bin"), 4 << 20);
    pull(server.port());
    Files.writeString(src.resolve("files/f000"), "new content sent before the cut\n");
    Files.delete(src.resolve("files/f019"));
    TestTrees.big(src.resolve("new.bin"), 8 << 20);
    TreeSnapshot stale = TreeSnapshot.of(staging).withoutDirectories();

    try (FaultyProxy proxy = FaultyProxy.cutAfter(server.port(), 3 << 20)) {
      TransferException e = assertThrows(TransferException.class, () -> pull(proxy.port()));
      assertTrue(
          EnumSet.of(TransferException.Kind.TRUNCATED, TransferException.Kind.UNREACHABLE)
              .contains(e.kind()), e.toString());
    }
    assertEquals(stale, TreeSnapshot.of(staging).withoutDirectories(), "staging as it was");

    PullResult retry = pull(server.port());
    assertEquals(TreeSnapshot.of(src), TreeSnapshot.of(staging));
    assertEquals(2, retry.filesSent(), "f000 and new.bin; the rest kept");
  }
}
