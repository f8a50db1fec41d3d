package io.flockerdocker.sim.control;

import io.flockerdocker.agent.flocker.FlockerClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Counts the calls of each FlockerClient method a watcher makes, in front of the real client
 * (a proxy), so a test can say which lists were read; {@code instead} may answer a call itself.
 */
final class CountedFlockerClient {
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  FlockerClient wrap(FlockerClient real) {
    return wrap(real, method -> null);
  }

  /** {@code instead}: given a method's name, its answer, or null to call the real client. */
  FlockerClient wrap(FlockerClient real, Function<String, Object> instead) {
    return (FlockerClient) Proxy.newProxyInstance(FlockerClient.class.getClassLoader(),
        new Class<?>[] {FlockerClient.class}, (proxy, method, args) -> {
          calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
          Object answer = instead.apply(method.getName());
          if (answer != null) {
            return answer;
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  void clear() {
    calls.clear();
  }
}
