package io.flockerdocker.agent.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * Blocking streams over one connected SocketChannel that call {@code read}/{@code write}
 * directly. Not {@code Channels.newInputStream}: on JDK 17 both of its streams lock {@code
 * blockingLock()}, so a read parked for the next request blocks the response write (pitfall 3).
 */
final class ChannelStreams {
  private ChannelStreams() {}

  /** Reads; EOF when the peer half-closes or when the channel is closed under a parked read. */
  static final class In extends InputStream {
    private final SocketChannel ch;

    In(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      try {
        return ch.read(ByteBuffer.wrap(b, off, len));
      } catch (ClosedChannelException closed) {
        // AsynchronousCloseException included: the writer side closed the connection under a
        // parked read (idle timeout, shutdown); for the stream that is a plain EOF
        return -1;
      }
    }

    /** Only the input half: a response may still be on its way after the client half-closed. */
    @Override
    public void close() throws IOException {
      if (ch.isOpen()) {
        try {
          ch.shutdownInput();
        } catch (ClosedChannelException alreadyClosed) {
          // the output side won the race; nothing left to shut
        }
      }
    }
  }

  /** Writes the whole buffer; closing it closes the channel, which wakes a parked reader. */
  static final class Out extends OutputStream {
    private final SocketChannel ch;

    Out(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
