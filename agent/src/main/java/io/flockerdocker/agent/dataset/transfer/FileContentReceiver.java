package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes one file's DATA/HOLE chunks into a new temp file (O_EXCL, symlinks not followed) beside
 * its final name, seeking over holes so they stay unallocated, and checks the announced size and
 * the file's CRC32C before anyone may rename it. On any failure the temp file is gone.
 */
final class FileContentReceiver {
  private static final byte[] ZEROS = new byte[Frames.CHUNK];
  private static final Set<OpenOption> CREATE_OPTIONS =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, PosixMeta.NOFOLLOW);
  /** Until its own mode is applied, a file (perhaps 0600 content) is readable by no one else. */
  static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final byte[] buf = new byte[Frames.CHUNK];
  private final CRC32C crc = new CRC32C();
  private long dataBytes;

  /** DATA bytes written by the last {@link #receive} (holes excluded). */
  long dataBytes() {
    return dataBytes;
  }

  Path receive(StreamIn in, Path temp, String rel, long size) throws TransferException {
    crc.reset();
    dataBytes = 0;
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(temp, CREATE_OPTIONS, OWNER_ONLY)) {
        copy(in, ch, rel, size);
      }
      if (Files.size(temp) < size) {
        // the file ends in a hole: ftruncate extends it without allocating blocks
        try (RandomAccessFile raf = new RandomAccessFile(temp.toFile(), "rw")) {
          raf.setLength(size);
        }
      }
      done = true;
      return temp;
    } catch (IOException e) {
      throw LocalIo.failure("cannot write " + rel, e);
    } finally {
      if (!done) {
        deleteQuietly(temp);
      }
    }
  }

  private void copy(StreamIn in, FileChannel ch, String rel, long size)
      throws TransferException, IOException {
    long pos = 0;
    while (true) {
      byte tag = in.tag();
      if (tag == Frames.DATA) {
        int n = in.int32();
        if (n <= 0 || n > Frames.CHUNK || n > size - pos) {
          throw badSize(rel, "data chunk of " + n + " at " + pos + " of " + size);
        }
        in.readFully(buf, 0, n);
        crc.update(buf, 0, n);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          ch.write(bb, pos + bb.position());
        }
        pos += n;
        dataBytes += n;
      } else if (tag == Frames.HOLE) {
        long n = in.int64();
        if (n <= 0 || n > size - pos) {
          throw badSize(rel, "hole of " + n + " at " + pos + " of " + size);
        }
        for (long left = n; left > 0; left -= Frames.CHUNK) {
          crc.update(ZEROS, 0, (int) Math.min(left, Frames.CHUNK));
        }
        pos += n;
      } else if (tag == Frames.FILE_END) {
        int expected = in.int32();
        if (pos != size) {
          throw badSize(rel, "ended at " + pos + " of " + size + " bytes");
        }
        if (expected != (int) crc.getValue()) {
          throw new TransferException(
              TransferException.Kind.CHECKSUM, "CRC32C mismatch in file " + rel);
        }
        return;
      } else if (tag == Frames.ABORT) {
        throw TreeReceiver.aborted(in);
      } else {
        throw StreamIn.malformed("tag " + tag + " inside file " + rel);
      }
    }
  }

  private static TransferException badSize(String rel, String what) {
    return new TransferException(TransferException.Kind.CHECKSUM, "file " + rel + ": " + what);
  }

  static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // the temp file is garbage the next successful pull deletes; the original error matters more
      org.slf4j.LoggerFactory.getLogger(FileContentReceiver.class)
          .warn("cannot delete temp file [{}]: {}", temp, e.toString());
    }
  }
}
