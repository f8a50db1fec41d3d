package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.transfer.Peer;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared backend: one root on every host, a move is a hand-off recorded per host. */
class SharedBackendTest {
  static final String ID = "d0000000-0000-4000-8000-000000000001";
  @TempDir Path root;
  @TempDir Path stateA;
  @TempDir Path stateB;

  @Test
  void handOffAdoptsTheSealedCopyAtTheSamePath() throws Exception {
    SharedBackend a = new SharedBackend(root, stateA);
    SharedBackend b = new SharedBackend(root, stateB);
    a.scan();
    b.scan();
    a.create(ID);
    Files.writeString(root.resolve(ID).resolve("file"), "fish");
    assertThat(a.seal(ID)).isEqualTo(new LocalCopy(ID, State.SEALED, 1, root.resolve(ID)));

    DatasetBackend.Pulled pulled = b.pull(
        new Step.Pull(ID, new Peer("10.0.0.1", 4524, "a"), 1, 2), null);
    assertThat(pulled.copy()).isEqualTo(new LocalCopy(ID, State.MANIFEST, 2, root.resolve(ID)));
    a.demote(ID);
    assertThat(new SharedBackend(root, stateA).scan()).isEmpty();
    assertThat(new SharedBackend(root, stateB).scan()).containsEntry(ID, pulled.copy());
    assertThat(Files.readString(root.resolve(ID).resolve("file"))).isEqualTo("fish");
  }

  @Test
  void ownershipIsWrittenCrashSafely() throws Exception {
    SharedBackend a = new SharedBackend(root, stateA);
    a.scan();
    a.create(ID);
    a.unseal(ID, 5);
    Files.writeString(stateA.resolve("shared-datasets.json.tmp"), "{\"torn");
    assertThat(new SharedBackend(root, stateA).scan().get(ID).generation()).isEqualTo(5);
    assertThat(stateA.resolve("shared-datasets.json.tmp")).doesNotExist();
  }

  @Test
  void aHandOffOfACopyThatIsNotThereFails() throws Exception {
    SharedBackend b = new SharedBackend(root, stateB);
    b.scan();
    TransferException e = catchThrowableOfType(() -> b.pull(
        new Step.Pull(ID, new Peer("10.0.0.1", 4524, "a"), 1, 2), null), TransferException.class);
    assertThat(e.kind()).isEqualTo(TransferException.Kind.LOCAL_IO);
    assertThat(b.scan()).isEmpty();
  }

  @Test
  void destroyDeletesTheDirectory() throws Exception {
    SharedBackend a = new SharedBackend(root, stateA);
    a.scan();
    a.create(ID);
    a.destroy(ID);
    assertThat(root.resolve(ID)).doesNotExist();
    assertThat(new SharedBackend(root, stateA).scan()).isEmpty();
  }
}
