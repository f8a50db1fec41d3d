package io.flockerdocker.agent.volume;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import java.nio.file.Path;

/**
 * Agent configuration for actor unit tests (volume, catalog, mounts): the agent's real serialization bindings (so
 * {@code serialize-messages = on} checks what crosses nodes), no cluster, plain-HTTP Flocker URL.
 */
public final class VolumeTestConfig {
  public static final String NODE1 = "5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10";
  public static final String NODE2 = "7d2f4b6e-1c3a-4e5f-8a9b-0c1d2e3f4a5b";

  private VolumeTestConfig() {}

  public static Config config(Path stateDir, String extra) {
    return AgentConfig.load(ConfigFactory.parseString(String.join("\n",
        "pekko.actor.provider = local",
        "pekko.actor.serialize-messages = on",
        "pekko.loglevel = DEBUG",
        "flocker-docker.node.name = node1",
        "flocker-docker.node.uuid = \"" + NODE1 + "\"",
        "flocker-docker.flocker.url = \"http://127.0.0.1:4523\"",
        "flocker-docker.flocker.allow-plaintext = on",
        // the FakeFlockerClient's dataset paths: Mount refuses any path outside the root
        "flocker-docker.dataset.root = /flocker",
        "flocker-docker.state-dir = \"" + stateDir + "\"",
        extra)));
  }
}
