package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender refuses a file whose size changed under it; local errors are typed, ENOSPC included. */
class SenderAndErrorsTest {
  @TempDir Path tmp;

  @Test
  void fileThatGrewOrShrankWhileSendingFailsTheTransfer() throws IOException {
    Path f = Files.write(tmp.resolve("f"), new byte[10_000]);
    FileContentSender sender = new FileContentSender();
    StreamOut out = new StreamOut(new ByteArrayOutputStream());
    // stat said 9,000 (it grew) or 11,000 (it shrank) bytes: either way, no FILE_END is sent
    for (long listed : new long[] {9_000, 11_000}) {
      TransferException e =
          assertThrows(TransferException.class, () -> sender.send(f, "f", listed, out));
      assertEquals(TransferException.Kind.LOCAL_IO, e.kind(), e.toString());
    }
  }

  @Test
  void noSpaceIsItsOwnKind() {
    assertEquals(
        TransferException.Kind.NO_SPACE,
        LocalIo.failure("w", new FileSystemException("/x", null, "No space left on device")).kind());
    assertEquals(
        TransferException.Kind.NO_SPACE,
        LocalIo.failure("w", new IOException("No space left on device")).kind());
    assertEquals(
        TransferException.Kind.LOCAL_IO,
        LocalIo.failure("w", new FileSystemException("/x", null, "Permission denied")).kind());
  }
}
