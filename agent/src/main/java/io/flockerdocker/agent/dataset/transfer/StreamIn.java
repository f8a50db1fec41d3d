package io.flockerdocker.agent.dataset.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.zip.CRC32C;

/**
 * The receiver's side of {@link Frames}: reads exactly what each frame needs, counting bytes and
 * folding them into the stream CRC32C. End of stream is TRUNCATED; a broken or idle connection
 * is UNREACHABLE; a frame that cannot be parsed is TRUNCATED (malformed).
 */
final class StreamIn {
  private final InputStream in;
  private final CRC32C crc = new CRC32C();
  private final byte[] scratch = new byte[8];
  private long bytes;

  StreamIn(InputStream in) {
    this.in = in;
  }

  long bytes() {
    return bytes;
  }

  /** The CRC32C of every byte read so far. */
  long crc() {
    return crc.getValue();
  }

  byte tag() throws TransferException {
    readFully(scratch, 0, 1);
    return scratch[0];
  }

  int int32() throws TransferException {
    return (int) number(4);
  }

  long int64() throws TransferException {
    return number(8);
  }

  /** A length-prefixed JSON body of type {@code type}. */
  <T> T json(Class<T> type) throws TransferException {
    int n = int32();
    if (n <= 0 || n > Frames.MAX_HEADER) {
      throw malformed("header length " + n);
    }
    byte[] body = new byte[n];
    readFully(body, 0, n);
    try {
      return Frames.JSON.readValue(body, type);
    } catch (IOException e) {
      throw new TransferException(TransferException.Kind.TRUNCATED, "malformed header", e);
    }
  }

  void readFully(byte[] buf, int off, int n) throws TransferException {
    int done = 0;
    try {
      while (done < n) {
        int r = in.read(buf, off + done, n - done);
        if (r < 0) {
          throw new EOFException("stream ended after " + (bytes + done) + " bytes");
        }
        done += r;
      }
    } catch (EOFException e) {
      throw new TransferException(TransferException.Kind.TRUNCATED, e.getMessage(), e);
    } catch (SocketTimeoutException e) {
      throw new TransferException(TransferException.Kind.UNREACHABLE, "peer went idle", e);
    } catch (IOException e) {
      throw new TransferException(
          TransferException.Kind.UNREACHABLE, "connection lost while receiving: " + e, e);
    }
    crc.update(buf, off, n);
    bytes += n;
  }

  static TransferException malformed(String what) {
    return new TransferException(TransferException.Kind.TRUNCATED, "malformed stream: " + what);
  }

  private long number(int width) throws TransferException {
    readFully(scratch, 0, width);
    long v = 0;
    for (int i = 0; i < width; i++) {
      v = (v << 8) | (scratch[i] & 0xFF);
    }
    return v;
  }
}
