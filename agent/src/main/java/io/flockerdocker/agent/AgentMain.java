package io.flockerdocker.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.cluster.ClusterTlsSettings;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.dataset.DataPlane;
import io.flockerdocker.agent.flocker.FlockerTls;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.agent.mounts.MountJournal;
import io.flockerdocker.agent.plugin.SocketAccess;
import io.flockerdocker.agent.plugin.UnixSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code agent --config FILE}: one node agent. Everything that can be wrong with the host
 * (configuration, certificates, the mount journal) is checked before the actor system starts,
 * and reported as one line; then the agent runs until SIGTERM.
 */
@Command(name = "agent", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker agent --config FILE", optionListHeading = "",
    description = "one node agent; runs until SIGTERM")
public final class AgentMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Option(names = "--config", paramLabel = "FILE", required = true,
      description = "the HOCON configuration, layered over the defaults")
  Path file;

  @Spec CommandSpec spec;

  private final PrintStream err;

  AgentMain(PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "cannot read config file " + file);
    }
    Config config;
    AgentSettings settings;
    try {
      config = load(file);
      settings = validate(config);
      ClusterTlsSettings.create(config).checkFiles();
    } catch (AgentSettings.SettingsException | IllegalArgumentException e) {
      err.println("flocker-docker agent: " + e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("flocker-docker agent: invalid configuration: " + e.getMessage());
      return 2;
    }
    Map<String, Map<String, Integer>> mounts;
    try {
      MountJournal.Loaded loaded = new MountJournal(settings.stateDir()).open();
      loaded.recovered().ifPresent(how -> err.println("flocker-docker agent: " + how));
      mounts = loaded.table();
    } catch (MountJournal.CorruptException e) {
      err.println("flocker-docker agent: " + e.getMessage());
      return 2;
    }
    Config withIdentity = ConfigFactory.parseMap(Map.of("pekko.cluster.roles",
            List.of("name:" + settings.nodeName(), "uuid:" + settings.nodeUuid())))
        .withFallback(config);
    DataPlane dataPlane;
    try {
      dataPlane = DataPlane.production(settings);
    } catch (AgentSettings.SettingsException e) {
      err.println("flocker-docker agent: " + e.getMessage());
      return 2;
    }
    // plugin.listen-early: dockerd's connects succeed from here on (a managed plugin must listen
    // within ~9.5 s of its start); requests wait until the plugin server serves the socket
    Optional<UnixSocketServer.Listening> early = Optional.empty();
    if (settings.listenEarly()) {
      try {
        early = Optional.of(UnixSocketServer.listen(settings.socketPath(), SocketAccess.PLUGIN));
      } catch (IOException e) {
        err.println("flocker-docker agent: cannot listen on the Docker plugin socket "
            + settings.socketPath() + ": " + e.getMessage());
        return 2;
      }
    }
    AgentDeps deps = AgentDeps.create(settings, mounts,
        system -> HttpFlockerClient.create(system, settings), Optional.of(dataPlane));
    AgentServers servers = new AgentServers(early);
    ActorSystem<Void> system =
        ActorSystem.create(Guardian.create(deps, servers), "flocker-docker", withIdentity);
    system.getWhenTerminated().toCompletableFuture().join();
    if (servers.failure() != null) {
      err.println("flocker-docker agent: " + servers.failure().getMessage());
      return 1;
    }
    return 0;
  }

  /**
   * The settings, with the TLS files read and checked too; any problem is one SettingsException
   * line naming the key, so the agent refuses to start before it binds anything.
   */
  static AgentSettings validate(Config config) {
    AgentSettings settings = AgentSettings.create(config);
    KeyFiles.check(settings);
    try {
      settings.flockerTls().ifPresent(FlockerTls::load);
    } catch (FlockerTls.TlsSetupException e) {
      throw new AgentSettings.SettingsException("flocker.tls", e.getMessage());
    }
    ClusterTlsSettings.create(config); // refuses a plain cluster port off loopback
    return settings;
  }

  static Config load(Path file) {
    return AgentConfig.load(ConfigFactory.parseFile(file.toFile()));
  }
}
