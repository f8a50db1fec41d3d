package io.flockerdocker.agent.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flockerdocker.agent.flocker.FlockerClient;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredFlockerClientTest {

  /**
   * The interface's default methods are the extensions' fallbacks: a wrapper that does not
   * override one silently runs the fallback (full reads, timed polls) against a service that
   * offers the extension. Every instance method of the interface must be forwarded.
   */
  @Test
  void forwardsEveryMethodOfTheClientItWraps() {
    List<String> missing = new ArrayList<>();
    for (Method m : FlockerClient.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        MeteredFlockerClient.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertTrue(missing.isEmpty(), "MeteredFlockerClient does not forward " + missing);
  }
}
