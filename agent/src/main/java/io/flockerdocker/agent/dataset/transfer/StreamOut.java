package io.flockerdocker.agent.dataset.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * The sender's side of {@link Frames}: writes frames, counting bytes and folding each into the
 * stream CRC32C. A failed write is the network's fault (UNREACHABLE), never the file system's.
 */
final class StreamOut {
  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final byte[] scratch = new byte[9];
  private long bytes;

  StreamOut(OutputStream out) {
    this.out = out;
  }

  long bytes() {
    return bytes;
  }

  void entry(EntryHeader header) throws TransferException {
    json(Frames.ENTRY, header);
  }

  void data(byte[] buf, int off, int n) throws TransferException {
    tagged(Frames.DATA, n, 4);
    write(buf, off, n);
  }

  void hole(long n) throws TransferException {
    tagged(Frames.HOLE, n, 8);
  }

  void fileEnd(int fileCrc) throws TransferException {
    tagged(Frames.FILE_END, fileCrc & 0xFFFFFFFFL, 4);
  }

  /** The trailer, then the stream CRC (which does not cover itself), then flush. */
  void trailer(long entries) throws TransferException {
    json(Frames.TRAILER, new StreamTrailer(entries, bytes, null));
    long streamCrc = crc.getValue();
    for (int i = 0; i < 8; i++) {
      scratch[i] = (byte) (streamCrc >>> (56 - 8 * i));
    }
    write(scratch, 0, 8);
    flush();
  }

  /** Tells the receiver the stream is void; best effort, the receiver also fails on a cut. */
  void abort(String reason) throws TransferException {
    json(Frames.ABORT, new StreamTrailer(0, bytes, reason));
    flush();
  }

  void flush() throws TransferException {
    try {
      out.flush();
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private void json(byte tag, Object value) throws TransferException {
    byte[] body;
    try {
      body = Frames.JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new TransferException(TransferException.Kind.LOCAL_IO, "cannot encode a header", e);
    }
    tagged(tag, body.length, 4);
    write(body, 0, body.length);
  }

  private void tagged(byte tag, long value, int width) throws TransferException {
    scratch[0] = tag;
    for (int i = 0; i < width; i++) {
      scratch[1 + i] = (byte) (value >>> (8 * (width - 1 - i)));
    }
    write(scratch, 0, 1 + width);
  }

  private void write(byte[] buf, int off, int n) throws TransferException {
    crc.update(buf, off, n);
    bytes += n;
    try {
      out.write(buf, off, n);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private static TransferException lost(IOException e) {
    return new TransferException(
        TransferException.Kind.UNREACHABLE, "connection lost while sending: " + e, e);
  }
}
