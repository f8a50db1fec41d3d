package io.flockerdocker.agent.dataset.transfer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one pull on one accepted socket: authenticates the requester (certificate CN {@code
 * node-<uuid>} equal to the request's node; on plain loopback TCP the request's node is trusted),
 * reads the request and have-list, asks the resolver, then streams the tree. Every refusal is
 * logged once and answered {@code ERR <reason>}.
 */
final class ServerConnection {
  private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
  private static final int IO_BUFFER = 64 * 1024;

  private final Socket socket;
  private final SourceResolver resolver;
  private final Duration idleTimeout;

  ServerConnection(Socket socket, SourceResolver resolver, Duration idleTimeout) {
    this.socket = socket;
    this.resolver = resolver;
    this.idleTimeout = idleTimeout;
  }

  void run() {
    Object peer = socket.getRemoteSocketAddress();
    String datasetId = null;
    try {
      socket.setSoTimeout((int) idleTimeout.toMillis());
      socket.setTcpNoDelay(true);
      String certUuid = null;
      if (socket instanceof SSLSocket ssl) {
        DataPlaneTls.configure(ssl);
        ssl.startHandshake();
        certUuid = DataPlaneTls.peerNodeUuid(ssl.getSession());
      }
      InputStream in = new BufferedInputStream(socket.getInputStream(), IO_BUFFER);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), IO_BUFFER);
      if (socket instanceof SSLSocket && certUuid == null) {
        refuse(out, null, peer, "client certificate has no node-<uuid> CN");
        return;
      }
      String line = PullRequest.readLine(in);
      PullRequest request = line == null ? null : parse(line);
      if (request == null || request.datasetId() == null || request.node() == null
          || request.have() < 0 || request.have() > PullRequest.MAX_HAVE) {
        refuse(out, null, peer, "bad request");
        return;
      }
      datasetId = request.datasetId();
      // read the whole request before any answer: closing on unread bytes sends a TCP reset,
      // which can destroy our ERR line before the client reads it
      Map<String, HaveEntry> have = new HashMap<>();
      for (long i = 0; i < request.have(); i++) {
        String haveLine = PullRequest.readLine(in);
        HaveEntry entry = haveLine == null ? null : HaveEntry.parse(haveLine);
        if (entry == null) {
          refuse(out, datasetId, peer, "bad request: have-list line " + i);
          return;
        }
        have.put(entry.path(), entry);
      }
      if (certUuid != null && !certUuid.equals(request.node())) {
        refuse(out, datasetId, peer, "node " + request.node() + " is not the certificate's");
        return;
      }
      SourceResolver.Decision decision = resolver.resolve(datasetId, request.node());
      if (!decision.allowed()) {
        refuse(out, datasetId, peer, decision.refusal());
        return;
      }
      PullRequest.writeLine(out, "OK");
      send(out, decision, request, have, peer);
    } catch (IOException e) {
      log.warn("data connection for dataset [{}] from [{}] failed: {}", datasetId, peer, e.toString());
    }
  }

  private void send(
      OutputStream out,
      SourceResolver.Decision decision,
      PullRequest request,
      Map<String, HaveEntry> have,
      Object peer) {
    StreamOut stream = new StreamOut(out);
    TreeSender sender =
        new TreeSender(
            decision.directory(), have, stream,
            () -> resolver.resolve(request.datasetId(), request.node()));
    try {
      TreeSender.Sent sent = sender.send();
      log.info(
          "sent dataset [{}] to [{}] ({}): {} entries, {} files sent, {} kept, {} bytes",
          request.datasetId(), request.node(), peer, sent.entries(), sent.filesSent(),
          sent.filesKept(), sent.streamBytes());
    } catch (TransferException e) {
      log.warn(
          "sending dataset [{}] to [{}] ({}) failed ({}): {}",
          request.datasetId(), request.node(), peer, e.kind(), e.getMessage());
      if (e.kind() == TransferException.Kind.LOCAL_IO || e.kind() == TransferException.Kind.NO_SPACE) {
        abortQuietly(stream, e);
      }
    }
  }

  /** A local failure mid-stream: tell the receiver why, if the connection still works. */
  private static void abortQuietly(StreamOut stream, TransferException cause) {
    try {
      stream.abort(cause.getMessage());
    } catch (TransferException lost) {
      cause.addSuppressed(lost);
      log.debug("could not send the abort frame: {}", lost.getMessage());
    }
  }

  private static void refuse(OutputStream out, String datasetId, Object peer, String reason)
      throws IOException {
    String oneLine = reason.replace('\n', ' ');
    log.warn("refusing dataset [{}] to [{}]: {}", datasetId, peer, oneLine);
    PullRequest.writeLine(out, "ERR " + oneLine);
    out.flush();
  }

  private static PullRequest parse(String line) {
    try {
      return Frames.JSON.readValue(line, PullRequest.class);
    } catch (IOException e) {
      return null;
    }
  }
}
