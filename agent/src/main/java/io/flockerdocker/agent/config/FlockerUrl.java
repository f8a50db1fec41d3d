package io.flockerdocker.agent.config;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the control service is: {@code flocker-docker.flocker.url}, unless that is empty and
 * Flocker's {@code agent.yml} exists, whose {@code control-service.hostname} names the host (its
 * {@code port} is the agent AMP port 4524, not the REST port, so the REST port 4523 is used).
 */
final class FlockerUrl {
  private FlockerUrl() {}

  static URI resolve(Config c) {
    String raw = c.getString("flocker.url").trim();
    if (raw.isEmpty()) {
      Path yml = Path.of(c.getString("flocker.agent-yml"));
      String host = hostFromAgentYml(yml);
      raw = "https://" + host + ":4523";
    }
    try {
      URI uri = new URI(raw);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new AgentSettings.SettingsException(
            "flocker.url", "expected http(s)://HOST:PORT, got " + raw);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new AgentSettings.SettingsException("flocker.url", "not a URL: " + raw);
    }
  }

  /** A deliberately small reader: agent.yml is flat YAML and we need one key of it. */
  static String hostFromAgentYml(Path yml) {
    List<String> lines;
    try {
      lines = Files.readAllLines(yml);
    } catch (IOException e) {
      throw new AgentSettings.SettingsException(
          "flocker.url", "empty, and " + yml + " cannot be read (" + e.getMessage() + ")");
    }
    boolean inControl = false;
    for (String line : lines) {
      if (line.startsWith("control-service:")) {
        inControl = true;
      } else if (!line.startsWith(" ") && !line.isBlank()) {
        inControl = false;
      } else if (inControl && line.trim().startsWith("hostname:")) {
        String host = line.trim().substring("hostname:".length()).trim().replaceAll("[\"']", "");
        if (!host.isEmpty()) {
          return host;
        }
      }
    }
    throw new AgentSettings.SettingsException(
        "flocker.url", "empty, and " + yml + " has no control-service.hostname");
  }
}
