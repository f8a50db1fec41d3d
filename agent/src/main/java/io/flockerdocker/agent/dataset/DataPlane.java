package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.config.DatasetSettings;
import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.DataPlaneTls;
import io.flockerdocker.agent.dataset.transfer.DataServer;
import io.flockerdocker.agent.dataset.transfer.SourceResolver;
import io.flockerdocker.agent.dataset.transfer.TlsDataClient;
import io.flockerdocker.agent.dataset.transfer.TlsDataServer;
import io.flockerdocker.agent.flocker.FlockerTls;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

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
   * The data channel as hosts run it: mutual TLS with this host's node certificate (or plain TCP
   * where the settings allow it: loopback only), pulls bounded by the control-service timeout to
   * connect and the transfer idle timeout while streaming. Reads the PEM files now, so a bad
   * certificate stops the agent before it starts.
   */
  static DataPlane production(AgentSettings s) {
    DatasetSettings d = s.dataset();
    SSLContext tls;
    try {
      tls = d.tls() ? DataPlaneTls.load(d.nodeCert(), d.nodeKey(), d.clusterCert()) : null;
    } catch (IOException | GeneralSecurityException | FlockerTls.TlsSetupException e) {
      throw new AgentSettings.SettingsException("dataset.tls",
          "cannot load the data channel's certificates (" + d.nodeCert() + ", " + d.nodeKey()
              + ", " + d.clusterCert() + "): " + e.getMessage());
    }
    DataClient client = new TlsDataClient(tls, s.nodeUuid(), s.flockerRequestTimeout(),
        d.transferIdleTimeout());
    return new DataPlane() {
      @Override
      public DataClient client() {
        return client;
      }

      @Override
      public DataServer serve(SourceResolver resolver) throws IOException {
        return TlsDataServer.start(d.bindHost(), d.port(), tls, resolver,
            d.transferIdleTimeout());
      }
    };
  }
}
