package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Sends one regular file's content as DATA and HOLE chunks (all-zero aligned blocks become holes,
 * so sparse files stay sparse) and its CRC32C. A file that is not exactly the size it was when
 * listed fails the transfer: wrong bytes are never sent as complete.
 */
final class FileContentSender {
  private static final byte[] ZEROS = new byte[Frames.BLOCK];

  private final byte[] buf = new byte[Frames.CHUNK];
  private final ByteBuffer wrapped = ByteBuffer.wrap(buf);
  private final CRC32C crc = new CRC32C();

  /** Streams {@code file}, which was {@code size} bytes long; returns the DATA bytes sent. */
  long send(Path file, String rel, long size, StreamOut out) throws TransferException {
    crc.reset();
    long pos = 0;
    long pendingHole = 0;
    long dataBytes = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, PosixMeta.NOFOLLOW)) {
      while (pos < size) {
        int n = fill(ch, (int) Math.min(Frames.CHUNK, size - pos), rel, size);
        int dataStart = -1;
        for (int off = 0; off < n; off += Frames.BLOCK) {
          int len = Math.min(Frames.BLOCK, n - off);
          if (Arrays.mismatch(buf, off, off + len, ZEROS, 0, len) < 0) {
            if (dataStart >= 0) {
              out.data(buf, dataStart, off - dataStart);
              dataBytes += off - dataStart;
              dataStart = -1;
            }
            pendingHole += len;
          } else {
            if (pendingHole > 0) {
              out.hole(pendingHole);
              pendingHole = 0;
            }
            if (dataStart < 0) {
              dataStart = off;
            }
          }
        }
        if (dataStart >= 0) {
          out.data(buf, dataStart, n - dataStart);
          dataBytes += n - dataStart;
        }
        crc.update(buf, 0, n);
        pos += n;
      }
      if (pendingHole > 0) {
        out.hole(pendingHole);
      }
      wrapped.clear().limit(1);
      if (ch.read(wrapped) > 0 || ch.size() != size) {
        throw changed(rel, size);
      }
    } catch (IOException e) {
      throw LocalIo.failure("cannot read source file " + rel, e);
    }
    out.fileEnd((int) crc.getValue());
    return dataBytes;
  }

  private int fill(FileChannel ch, int want, String rel, long size)
      throws IOException, TransferException {
    wrapped.clear().limit(want);
    while (wrapped.hasRemaining()) {
      if (ch.read(wrapped) < 0) {
        throw changed(rel, size);
      }
    }
    return want;
  }

  private static TransferException changed(String rel, long size) {
    return new TransferException(
        TransferException.Kind.LOCAL_IO,
        "source file " + rel + " is no longer " + size + " bytes long (changed while sending)");
  }
}
