package io.flockerdocker.sim.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The main class of one {@link AgentGroup} JVM: runs one real agent per config file given, each
 * exactly as {@code flocker-docker agent --config FILE} runs it (its own ActorSystem, plugin
 * socket, status port, cluster port and dataset root), on its own thread. The JVM ends when every
 * agent has ended; SIGTERM runs each ActorSystem's coordinated shutdown.
 */
public final class AgentGroupMain {
  private AgentGroupMain() {}

  public static void main(String[] configs) throws InterruptedException {
    List<Thread> agents = new ArrayList<>();
    for (String config : configs) {
      Thread t = new Thread(() -> {
        int code = io.flockerdocker.agent.Main.run(System.out, System.err, "agent", "--config",
            config);
        System.err.println("agent-group: agent " + config + " ended with " + code);
      }, "agent-" + agents.size());
      t.start();
      agents.add(t);
    }
    for (Thread t : agents) {
      t.join();
    }
  }
}
