package io.flockerdocker.agent.dataset.transfer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * The data channel's client: one pull = one connection. Sends the request and the staging copy's
 * have-list, checks the server is the node it meant to reach (certificate CN {@code
 * node-<peer uuid>}), then applies the stream with {@link TreeReceiver}. Plain TCP only to
 * loopback.
 */
public final class TlsDataClient implements DataClient {
  private static final int IO_BUFFER = 64 * 1024;

  private final SSLContext tls;
  private final String selfUuid;
  private final Duration connectTimeout;
  private final Duration idleTimeout;

  /** {@code tls} null = plain TCP, refused (REFUSED) for any peer that is not loopback. */
  public TlsDataClient(
      SSLContext tls, String selfUuid, Duration connectTimeout, Duration idleTimeout) {
    this.tls = tls;
    this.selfUuid = selfUuid;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public PullResult pull(Peer source, String datasetId, Path staging) throws TransferException {
    long start = System.nanoTime();
    List<HaveEntry> have;
    try {
      Files.createDirectories(staging);
      have = HaveEntry.scan(staging);
    } catch (IOException e) {
      throw LocalIo.failure("cannot scan staging " + staging, e);
    }
    try (Socket socket = connect(source)) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), IO_BUFFER);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), IO_BUFFER);
      String response;
      try {
        PullRequest.writeLine(
            out,
            Frames.JSON.writeValueAsString(new PullRequest(datasetId, selfUuid, have.size())));
        for (HaveEntry entry : have) {
          PullRequest.writeLine(out, entry.toLine());
        }
        out.flush();
        response = PullRequest.readLine(in);
      } catch (SSLException e) {
        // TLS 1.3 checks the client certificate after the client's handshake "completed"
        throw new TransferException(
            TransferException.Kind.REFUSED, source + " refused our certificate: " + e, e);
      } catch (IOException e) {
        throw unreachable(source, e);
      }
      if (response == null) {
        throw new TransferException(
            TransferException.Kind.UNREACHABLE, source + " closed the connection unanswered");
      }
      if (!response.equals("OK")) {
        String reason = response.startsWith("ERR ") ? response.substring(4) : response;
        throw new TransferException(TransferException.Kind.REFUSED, source + ": " + reason);
      }
      return new TreeReceiver(staging).receive(new StreamIn(in), start);
    } catch (IOException e) {
      throw unreachable(source, e); // only close() gets here
    }
  }

  private Socket connect(Peer peer) throws TransferException {
    InetSocketAddress address = new InetSocketAddress(peer.host(), peer.port());
    if (tls == null && !isLoopback(address.getAddress())) {
      throw new TransferException(
          TransferException.Kind.REFUSED, "plain TCP to non-loopback " + peer + " refused");
    }
    Socket raw = new Socket();
    try {
      raw.connect(address, (int) connectTimeout.toMillis());
      raw.setSoTimeout((int) idleTimeout.toMillis());
      raw.setTcpNoDelay(true);
      if (tls == null) {
        return raw;
      }
      SSLSocket ssl =
          (SSLSocket) tls.getSocketFactory().createSocket(raw, peer.host(), peer.port(), true);
      ssl.setUseClientMode(true);
      DataPlaneTls.configure(ssl);
      try {
        ssl.startHandshake();
      } catch (SSLException e) {
        throw new TransferException(
            TransferException.Kind.REFUSED, "TLS handshake with " + peer + " failed: " + e, e);
      }
      String uuid = DataPlaneTls.peerNodeUuid(ssl.getSession());
      if (!peer.nodeUuid().equals(uuid)) {
        throw new TransferException(
            TransferException.Kind.REFUSED,
            peer + " presented node " + uuid + ", not " + peer.nodeUuid());
      }
      return ssl;
    } catch (IOException e) {
      closeAfterFailure(raw, e);
      throw unreachable(peer, e);
    } catch (TransferException e) {
      closeAfterFailure(raw, e);
      throw e;
    }
  }

  private static boolean isLoopback(InetAddress address) {
    return address != null && address.isLoopbackAddress();
  }

  private static void closeAfterFailure(Socket socket, Exception cause) {
    try {
      socket.close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  private static TransferException unreachable(Peer peer, IOException e) {
    return new TransferException(
        TransferException.Kind.UNREACHABLE, "cannot reach " + peer + ": " + e, e);
  }
}
