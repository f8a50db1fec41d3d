package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole pulls over a real mutual-TLS socket: fidelity of every attribute, and incrementality. */
class TlsRoundTripTest {
  static final String SERVER = "11111111-aaaa-4000-8000-000000000001";
  static final String CLIENT = "22222222-bbbb-4000-8000-000000000002";

  @TempDir Path tmp;
  Path src;
  Path staging;
  TlsDataServer server;
  TlsDataClient client;

  @BeforeEach
  void start() throws Exception {
    src = Files.createDirectory(tmp.resolve("src"));
    staging = tmp.resolve("staging");
    TransferPki pki = new TransferPki(Files.createDirectory(tmp.resolve("pki")), "cluster");
    server =
        TlsDataServer.start(
            "127.0.0.1", 0, pki.node("node-" + SERVER),
            (id, requester) ->
                id.equals("ds") && requester.equals(CLIENT)
                    ? SourceResolver.Decision.serve(src)
                    : SourceResolver.Decision.refuse("not yours"),
            Duration.ofSeconds(20));
    client =
        new TlsDataClient(
            pki.node("node-" + CLIENT), CLIENT, Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  PullResult pull() throws TransferException {
    return client.pull(new Peer("127.0.0.1", server.port(), SERVER), "ds", staging);
  }

  @Test
  void mixedTreeArrivesIdentical() throws Exception {
    TestTrees.mixed(src);
    TreeSnapshot before = TreeSnapshot.of(src);
    // the tree must really have what we claim to carry, or equality proves nothing
    assertEquals(04755, before.items().get("suid").mode());
    assertEquals(02755, before.items().get("sgid").mode());
    assertEquals(01777, before.items().get("tmp").mode());
    assertNotEquals(0, before.items().get("a/big.bin").mtimeNs() % 1000, "sub-µs mtime");
    assertEquals("a/h2", before.items().get("h1").linkGroup(), "h1 and a/h2 are one inode");

    PullResult result = pull();

    assertEquals(before, TreeSnapshot.of(staging));
    assertEquals(before, TreeSnapshot.of(src), "the source is untouched");
    assertEquals(7, result.filesSent(), "every regular file once, the hard link as a link");
    assertTrue(TestTrees.allocatedBytes(src.resolve("sparse.img")) < (1 << 20));
    assertTrue(
        TestTrees.allocatedBytes(staging.resolve("sparse.img")) < (1 << 20),
        "the sparse file stayed sparse");
    assertTrue(result.contentBytes() < 4 * 1024 * 1024 + 65536, "holes did not cross as data");
  }

  @Test
  void ownersCrossWhenRoot() throws Exception {
    Assumptions.assumeTrue(TestTrees.isRoot(), "chown to arbitrary uids needs root");
    TestTrees.mixed(src);
    pull();
    TreeSnapshot got = TreeSnapshot.of(staging);
    assertEquals(5678, got.items().get("secret").uid());
    assertEquals(5679, got.items().get("secret").gid());
    assertEquals(1234, got.items().get("suid").uid());
    assertEquals(04755, got.items().get("suid").mode(), "chown before chmod keeps set-uid");
    assertEquals(1234, got.items().get("dangling").uid());
    assertEquals(5679, got.items().get("a/b").gid());
  }

  @Test
  void secondPullSendsOnlyWhatChanged() throws Exception {
    TestTrees.many(src, 100);
    PullResult first = pull();
    assertEquals(100, first.filesSent());
    assertEquals(TreeSnapshot.of(src), TreeSnapshot.of(staging));

    Path changed = src.resolve("files/f050");
    Files.writeString(changed, "changed content\n");
    Files.delete(src.resolve("files/f010"));
    Files.setAttribute(src.resolve("files/f020"), "unix:mode", 0600); // same size and mtime

    PullResult second = pull();

    assertEquals(1, second.filesSent());
    assertEquals(98, second.filesKept());
    assertEquals(1, second.deleted());
    assertEquals("changed content\n".length(), second.contentBytes());
    assertEquals(TreeSnapshot.of(src), TreeSnapshot.of(staging), "kept files got new metadata");
  }

  @Test
  void localExtrasAreDeletedAndTypeChangesApplied() throws Exception {
    TestTrees.many(src, 3);
    Files.createDirectories(staging.resolve("junk/deeper"));
    Files.writeString(staging.resolve("junk/deeper/x"), "x");
    Files.createDirectories(staging.resolve("files/f001/was-a-dir"));
    Files.createSymbolicLink(staging.resolve("files-link"), tmp);

    PullResult result = pull();

    assertEquals(TreeSnapshot.of(src), TreeSnapshot.of(staging));
    assertEquals(6, result.deleted(), "junk, junk/deeper, x, f001/, was-a-dir, files-link");
  }
}
