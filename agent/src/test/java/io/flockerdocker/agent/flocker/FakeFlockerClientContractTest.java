package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.Node;
import java.util.List;
import java.util.UUID;

/** The contract against the in-memory fake; one fake per test class, as with a real service. */
class FakeFlockerClientContractTest extends FlockerClientContract {
  private static final String NODE_A = UUID.randomUUID().toString();
  private static final String NODE_B = UUID.randomUUID().toString();
  private static final FakeFlockerClient FAKE =
      new FakeFlockerClient(List.of(new Node("10.0.0.1", NODE_A), new Node("10.0.0.2", NODE_B)));

  @Override
  protected FlockerClient client() {
    return FAKE;
  }

  @Override
  protected void converge() {
    FAKE.converge();
    org.assertj.core.api.Assertions.assertThat(stateMatchesConfiguration()).isTrue();
  }

  @Override
  protected String nodeA() {
    return NODE_A;
  }

  @Override
  protected String nodeB() {
    return NODE_B;
  }
}
