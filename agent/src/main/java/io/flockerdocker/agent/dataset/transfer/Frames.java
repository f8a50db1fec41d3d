package io.flockerdocker.agent.dataset.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flockerdocker.protocol.Json;

/**
 * The binary framing of the stream after the {@code OK} line. Every frame starts with a one-byte
 * tag; integers are big-endian. The trailer's CRC32C covers every byte before it.
 */
final class Frames {
  /** Entry header: int length, JSON {@link EntryHeader}. */
  static final byte ENTRY = 'E';
  /** File content: int n, n bytes. */
  static final byte DATA = 'D';
  /** File content: long n zero bytes the receiver seeks over (stays sparse). */
  static final byte HOLE = 'H';
  /** End of a file's content: int CRC32C of its n logical bytes. */
  static final byte FILE_END = 'C';
  /** Trailer: int length, JSON {@link StreamTrailer}, long CRC32C of all preceding bytes. */
  static final byte TRAILER = 'T';
  /** The sender gave up (source changed or no longer allowed): int length, JSON with reason. */
  static final byte ABORT = 'A';

  /** Chunk size for reads and writes: big enough to amortise syscalls, small for constant memory. */
  static final int CHUNK = 1 << 20;
  /** Holes are found at this alignment (the usual file-system block size). */
  static final int BLOCK = 4096;
  /** No header is this large; a bigger length means a corrupt or hostile stream. */
  static final int MAX_HEADER = 64 * 1024;

  /** The project's one strict mapper: a wrong type in a header is a bad stream, not a coercion. */
  static final ObjectMapper JSON = Json.mapper();

  private Frames() {}
}
