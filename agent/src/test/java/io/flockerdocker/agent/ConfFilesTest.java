package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import com.typesafe.config.Config;
import io.flockerdocker.agent.config.AgentSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The deployment files in conf/ load: node overlays validate, logback picks its format. */
class ConfFilesTest {
  /** Surefire runs in agent/; conf/ is at the project root. */
  static final Path CONF = Path.of("").toAbsolutePath().getParent().resolve("conf");

  @ParameterizedTest
  @ValueSource(strings = {"node-1.conf", "node-2.conf"})
  void nodeOverlaysIncludeTheSharedFileAndValidate(String file) {
    AgentSettings s = AgentSettings.create(AgentMain.load(CONF.resolve(file)));
    assertThat(s.nodeName()).isEqualTo("node" + file.charAt(5));
    assertThat(s.socketPath()).hasToString("/run/docker/plugins/flocker.sock");
    assertThat(s.flockerTls()).isPresent();
    assertThat(s.status().host()).isEqualTo("127.0.0.1");
  }

  /**
   * Shards never rebalance (agent-pekko.conf): the threshold exceeds the shard count, and it is
   * the setting in force only while the newer algorithm's absolute limit stays 0.
   */
  @Test
  void shardsAreNeverRebalancedBetweenLiveMembers() {
    Config c = AgentMain.load(CONF.resolve("node-1.conf"));
    String strategy = "pekko.cluster.sharding.least-shard-allocation-strategy.";
    assertThat(c.getInt(strategy + "rebalance-absolute-limit")).isZero();
    assertThat(c.getInt(strategy + "rebalance-threshold"))
        .isGreaterThanOrEqualTo(c.getInt("pekko.cluster.sharding.number-of-shards"));
  }

  @ParameterizedTest
  @CsvSource({"json,json", "human,human"})
  void logFormatSwitchSelectsTheAppender(String format, String appender) throws Exception {
    LoggerContext ctx = new LoggerContext();
    ctx.putProperty("flocker-docker.log-format", format);
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(ctx);
    joran.doConfigure(CONF.resolve("logback.xml").toFile());
    AsyncAppender async = (AsyncAppender) ctx.getLogger("ROOT").getAppender("ASYNC");
    Appender<ILoggingEvent> target = async.getAppender(appender);
    assertThat(target).isNotNull();
    ctx.stop();
  }
}
