package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.AgentSettings;
import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.DataServer;
import io.flockerdocker.agent.dataset.transfer.SourceResolver;
import java.io.IOException;

/**
 * The data channel's two ends as the Guardian gets them: a client for pulls and a server started
 * on demand with the resolver that decides what it may send. Injected through AgentDeps, so
 * tests plug in their own; production is {@link #production(AgentSettings)}.
 */
public interface DataPlane {
  DataClient client();

  /** Binds and starts serving; blocking, called once while the agent starts. */
  DataServer serve(SourceResolver resolver) throws IOException;

  /**
   * TODO(transfer engine): the TLS data channel, once TlsDataServer, TlsDataClient and
   * DataPlaneTls land from the transfer worktree. It will read, with {@code d = s.dataset()}:
   * {@code SSLContext tls = d.tls() ? DataPlaneTls.load(d.clusterCert(), d.nodeCert(),
   * d.nodeKey()) : null}; {@code client()} = {@code new TlsDataClient(tls, s.nodeUuid(),
   * s.flockerRequestTimeout(), d.transferIdleTimeout())}; {@code serve(r)} = {@code
   * TlsDataServer.start(d.bindHost(), d.port(), tls, r, d.transferIdleTimeout())}.
   * Until then the agent refuses to start rather than run without a data channel.
   */
  static DataPlane production(AgentSettings s) {
    throw new UnsupportedOperationException(
        "the dataset data channel is not built into this agent yet (TODO: transfer engine)");
  }
}
