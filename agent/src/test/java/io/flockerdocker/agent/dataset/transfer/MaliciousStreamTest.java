package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-crafted hostile streams fed straight to the receiver: nothing outside staging is touched. */
class MaliciousStreamTest {
  static final PosixMeta META = new PosixMeta(0644, 0, 0, TestTrees.BASE_NS);
  static final PosixMeta DIR_META = new PosixMeta(0755, 0, 0, TestTrees.BASE_NS);

  @TempDir Path tmp;
  Path staging;
  Path outside;

  interface Body {
    void write(StreamOut out) throws TransferException;
  }

  @BeforeEach
  void dirs() throws IOException {
    staging = Files.createDirectory(tmp.resolve("staging"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    if (TestTrees.isRoot()) {
      Files.setAttribute(staging, "unix:uid", 0);
    }
  }

  static byte[] stream(Body body, long entries) throws TransferException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StreamOut out = new StreamOut(bytes);
    out.entry(EntryHeader.of(EntryHeader.DIR, ".", DIR_META, 0, null));
    body.write(out);
    out.trailer(entries);
    return bytes.toByteArray();
  }

  static void file(StreamOut out, String path, String content) throws TransferException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    out.entry(EntryHeader.of(EntryHeader.FILE, path, META, data.length, null));
    out.data(data, 0, data.length);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(data);
    out.fileEnd((int) crc.getValue());
  }

  static EntryHeader entry(String type, String path, String target) {
    return EntryHeader.of(type, path, META, 0, target);
  }

  PullResult receive(byte[] stream) throws TransferException {
    return new TreeReceiver(staging).receive(new StreamIn(new ByteArrayInputStream(stream)), 0);
  }

  void assertUnsafe(Body body) throws Exception {
    TransferException e =
        assertThrows(TransferException.class, () -> receive(stream(body, 99)));
    assertEquals(TransferException.Kind.UNSAFE_ENTRY, e.kind(), e.toString());
    try (Stream<Path> out = Files.list(outside)) {
      assertEquals(0, out.count(), "nothing written outside staging");
    }
    try (Stream<Path> all = Files.walk(staging)) {
      assertEquals(0, all.filter(p -> Files.isRegularFile(p, PosixMeta.NOFOLLOW)).count(),
          "nothing installed in staging either");
    }
  }

  @Test
  void dotDotIsRefused() throws Exception {
    assertUnsafe(out -> file(out, "../outside/x", "evil"));
    assertUnsafe(out -> file(out, "a/../../outside/x", "evil"));
  }

  @Test
  void dotDotDirectlyBelowTheRootIsRefusedByName() throws Exception {
    // its parent "." is a directory of the stream, so only the name rule stands in the way
    assertUnsafe(out -> out.entry(EntryHeader.of(EntryHeader.DIR, "..", DIR_META, 0, null)));
    assertUnsafe(out -> file(out, "..", "evil"));
    assertUnsafe(out -> out.entry(EntryHeader.of(EntryHeader.DIR, ".", DIR_META, 0, null)));
  }

  @Test
  void absolutePathIsRefused() throws Exception {
    String abs = outside.resolve("abs").toString();
    assertUnsafe(out -> file(out, abs, "evil"));
  }

  @Test
  void nonNormalisedNamesAreRefused() throws Exception {
    for (String bad : new String[] {"", "a//b", "./a", "a/.", "a/", "nul\0x"}) {
      assertUnsafe(out -> file(out, bad, "x"));
    }
  }

  @Test
  void entryBelowASymlinkIsRefused() throws Exception {
    assertUnsafe(
        out -> {
          out.entry(entry(EntryHeader.SYMLINK, "lnk", outside.toString()));
          file(out, "lnk/evil", "evil");
        });
  }

  @Test
  void entryBelowAFileOrAnUnnamedDirectoryIsRefused() throws Exception {
    Files.createDirectory(staging.resolve("stale-dir"));
    assertUnsafe(out -> file(out, "stale-dir/x", "not announced as a directory"));
    assertUnsafe(
        out -> {
          file(out, "f", "a file");
          file(out, "f/x", "below a file");
        });
  }

  @Test
  void hardLinkEscapesAreRefused() throws Exception {
    assertUnsafe(
        out -> {
          file(out, "f", "fine");
          out.entry(entry(EntryHeader.HARDLINK, "h", "../../etc/passwd"));
        });
    assertUnsafe(
        out -> {
          out.entry(entry(EntryHeader.HARDLINK, "h", "later"));
          file(out, "later", "not earlier");
        });
    assertUnsafe(
        out -> {
          out.entry(entry(EntryHeader.SYMLINK, "s", "/etc/passwd"));
          out.entry(entry(EntryHeader.HARDLINK, "h", "s"));
        });
  }

  @Test
  void unknownTypesAndDuplicatesAreRefused() throws Exception {
    assertUnsafe(out -> out.entry(entry("fifo", "p", null)));
    assertUnsafe(
        out -> {
          file(out, "twice", "one");
          file(out, "twice", "two");
        });
  }

  @Test
  void staleSymlinkWhereTheStreamHasADirectoryIsReplacedNotFollowed() throws Exception {
    Files.createSymbolicLink(staging.resolve("d"), outside);
    receive(
        stream(
            out -> {
              out.entry(EntryHeader.of(EntryHeader.DIR, "d", DIR_META, 0, null));
              file(out, "d/f", "inside");
            },
            3));
    try (Stream<Path> out = Files.list(outside)) {
      assertEquals(0, out.count());
    }
    assertTrue(Files.isDirectory(staging.resolve("d"), PosixMeta.NOFOLLOW));
    assertEquals("inside", Files.readString(staging.resolve("d/f")));
  }

  @Test
  void alteredHeaderFailsTheStreamChecksum() throws Exception {
    byte[] good = stream(out -> file(out, "f", "content"), 2);
    byte[] bad = good.clone();
    byte[] needle = "\"mode\":420".getBytes(StandardCharsets.UTF_8); // 0644, the file's header
    int at = indexOf(bad, needle, 40);
    assertTrue(at > 0);
    bad[at + needle.length - 1] = '1'; // 421: still valid JSON, only the stream CRC can tell
    TransferException e = assertThrows(TransferException.class, () -> receive(bad));
    assertEquals(TransferException.Kind.CHECKSUM, e.kind(), e.toString());
    assertFalse(Files.exists(staging.resolve("f")));
    receive(good);
    assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(staging.resolve("f")));
  }

  @Test
  void wrongEntryCountOrEarlyEndIsRefused() throws Exception {
    byte[] wrongCount = stream(out -> file(out, "f", "content"), 3);
    assertEquals(TransferException.Kind.CHECKSUM,
        assertThrows(TransferException.class, () -> receive(wrongCount)).kind());
    byte[] good = stream(out -> file(out, "f", "content"), 2);
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
    assertEquals(TransferException.Kind.TRUNCATED,
        assertThrows(TransferException.class, () -> receive(cut)).kind());
    assertFalse(Files.exists(staging.resolve("f")));
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
