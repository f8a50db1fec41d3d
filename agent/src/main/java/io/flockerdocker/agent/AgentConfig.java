package io.flockerdocker.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.cluster.ClusterTlsSettings;

/**
 * How the agent's configuration is layered: the operator's file (or a test's overrides), then
 * {@code application.conf}, then {@code agent-pekko.conf} (Pekko settings the agent needs), then
 * every module's {@code reference.conf}; {@code ${?ENV}} overrides are resolved last, and
 * {@code flocker-docker.cluster.tls} then sets Artery's transport.
 */
public final class AgentConfig {
  private AgentConfig() {}

  public static Config load(Config overrides) {
    Config resolved = overrides
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(AgentConfig.class.getClassLoader(),
            "agent-pekko.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    // flocker-docker.cluster.tls decides Artery's transport (plain TCP or node-certificate TLS)
    return ClusterTlsSettings.artery(resolved).withFallback(resolved);
  }
}
