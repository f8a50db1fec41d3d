package io.flockerdocker.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.mounts.MountTable;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Which listed MountTable counts for an address: only one that answered alive, never a previous
 * incarnation's that the receptionist still lists at the same host:port.
 */
class MountTableRefsTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final Address NODE3 = new Address("pekko", "flocker-docker", "10.0.0.3", 7626);
  static final Address NODE2 = new Address("pekko", "flocker-docker", "10.0.0.2", 7626);

  final ActorRef<MountTable.Command> oldTable = testKit.<MountTable.Command>createTestProbe().ref();
  final ActorRef<MountTable.Command> newTable = testKit.<MountTable.Command>createTestProbe().ref();
  final ActorRef<MountTable.Command> other = testKit.<MountTable.Command>createTestProbe().ref();
  final Map<ActorRef<?>, Address> where = Map.of(oldTable, NODE3, newTable, NODE3, other, NODE2);
  final MountTableRefs refs = new MountTableRefs(where::get);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aListedTableCountsOnlyOnceItHasAnsweredAlive() {
    refs.listed(Set.of(oldTable, other));
    assertThat(refs.at(NODE3)).isNull();
    assertThat(refs.unanswered()).containsExactlyInAnyOrder(oldTable, other);
    refs.answered(oldTable, true);
    assertThat(refs.at(NODE3)).isEqualTo(oldTable);
    assertThat(refs.at(NODE2)).isNull();
    assertThat(refs.unanswered()).containsExactly(other);
  }

  @Test
  void aRestartedNodesPreviousTableStillListedIsNeverItsTable() {
    refs.listed(Set.of(oldTable, other));
    refs.answered(oldTable, true);
    refs.answered(other, true);
    // node3 restarts on the same host:port; the receptionist lists both tables for a while
    refs.suspect(NODE3);
    refs.listed(Set.of(oldTable, newTable, other));
    assertThat(refs.at(NODE3)).isNull();
    assertThat(refs.unanswered()).containsExactlyInAnyOrder(oldTable, newTable);
    refs.answered(oldTable, false); // the new system says: no such actor
    refs.answered(newTable, true);
    assertThat(refs.at(NODE3)).isEqualTo(newTable);
    assertThat(refs.at(NODE2)).isEqualTo(other); // another address keeps its table
    assertThat(refs.unanswered()).isEmpty();
    // a later suspicion asks the live one again, never the dead one
    refs.suspect(NODE3);
    assertThat(refs.unanswered()).containsExactly(newTable);
  }

  @Test
  void anAnswerFromATableNoLongerListedChangesNothing() {
    refs.listed(Set.of(oldTable));
    refs.listed(Set.of(newTable));
    refs.answered(oldTable, true);
    assertThat(refs.at(NODE3)).isNull();
    refs.answered(newTable, true);
    assertThat(refs.at(NODE3)).isEqualTo(newTable);
  }
}
