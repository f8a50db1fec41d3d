package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.transfer.Peer;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every row of docs/data-plane.md §2, and the safety rules around them. */
class ConvergenceTest {
  static final String ME = "00000000-0000-4000-8000-000000000001";
  static final String S = "00000000-0000-4000-8000-000000000002";
  static final String T = "00000000-0000-4000-8000-000000000003";
  static final String D = "d0000000-0000-4000-8000-000000000001";

  final List<DatasetConfiguration> config = new ArrayList<>();
  final List<Lease> leases = new ArrayList<>();
  final List<NodeReport> reports = new ArrayList<>();
  final Map<String, LocalCopy> local = new HashMap<>();

  void configure(String primary, boolean deleted) {
    config.add(new DatasetConfiguration(D, primary, deleted, Map.of(), null));
  }

  void mine(State state, long generation) {
    local.put(D, new LocalCopy(D, state, generation, Path.of("/data", D)));
  }

  void reported(String host, String state, long generation) {
    reports.add(new NodeReport(host, "10.0.0." + host.charAt(host.length() - 1), 4524,
        "directory", 1, 1,
        List.of(new ReportedDataset(D, state, "/data/" + D, generation, null, null))));
  }

  Step next() {
    return Convergence.next(Convergence.Inputs.of(ME, config, leases, reports, local, Set.of()));
  }

  @Test
  void primaryHereAndNeverExistedCreates() {
    configure(ME, false);
    assertThat(next()).isEqualTo(new Step.Create(D, null));
  }

  void configureMadeOn(String primary, String origin) {
    config.add(new DatasetConfiguration(D, primary, false,
        Map.of(DatasetConfiguration.ORIGIN_KEY, origin), null));
  }

  /**
   * Found by chaos (seed 4 of the 20 x 200 run): a Mount on another host moved the primary before
   * the creating host had reported its first copy; the new primary saw no copy anywhere, made a
   * second empty one, and a later move picked the wrong one of the two generation-1 copies.
   */
  @Test
  void aNewPrimaryNeverMakesTheFirstCopyOfADatasetMadeElsewhere() {
    configureMadeOn(ME, S);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void theOriginMakesTheFirstCopyEvenAfterThePrimaryMovedOn() {
    configureMadeOn(S, ME);
    assertThat(next()).isEqualTo(new Step.Create(D, null));
    mine(State.MANIFEST, 1);
    assertThat(next()).isEqualTo(new Step.Seal(D));
  }

  @Test
  void theOriginDoesNotMakeASecondCopyOnceOneWasReported() {
    configureMadeOn(S, ME);
    reported(S, ReportedDataset.MANIFEST, 1);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void neverCreatesOverADatasetSeenBefore() {
    configure(ME, false);
    reported(S, ReportedDataset.RECEIVING, 0);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
    reports.clear();
    assertThat(Convergence.next(Convergence.Inputs.of(ME, config, leases, reports, local,
        Set.of(D)))).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void primaryHereWithOurSealedCopyUnsealsSkippingAGeneration() {
    configure(ME, false);
    mine(State.SEALED, 4);
    assertThat(next()).isEqualTo(new Step.Unseal(D, 6));
  }

  @Test
  void primaryHereWithoutCopyPullsFromTheNewestSealedSource() {
    configure(ME, false);
    reported(S, ReportedDataset.SEALED, 3);
    reported(T, ReportedDataset.SEALED, 5);
    assertThat(next()).isEqualTo(new Step.Pull(D, new Peer("10.0.0.3", 4524, T), 5, 6));
  }

  @Test
  void primaryHereWithAStaleReplicaPulls() {
    configure(ME, false);
    mine(State.REPLICA, 2);
    reported(S, ReportedDataset.SEALED, 3);
    assertThat(next()).isEqualTo(new Step.Pull(D, new Peer("10.0.0.2", 4524, S), 3, 4));
  }

  @Test
  void primaryHereWaitsWhileTheNewestCopyIsStillManifest() {
    configure(ME, false);
    reported(S, ReportedDataset.MANIFEST, 3);
    reported(T, ReportedDataset.SEALED, 2); // older: never pulled from
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void primaryHereWithAnOlderSealedCopyDemotesItAndThenPulls() {
    configure(ME, false);
    mine(State.SEALED, 1);
    reported(S, ReportedDataset.SEALED, 3);
    assertThat(next()).isEqualTo(new Step.Demote(D));
    mine(State.REPLICA, 1);
    assertThat(next()).isEqualTo(new Step.Pull(D, new Peer("10.0.0.2", 4524, S), 3, 4));
  }

  @Test
  void twoManifestCopiesTheNewestGenerationWins() {
    configure(ME, false);
    mine(State.MANIFEST, 2);
    reported(S, ReportedDataset.MANIFEST, 5);
    assertThat(next()).isEqualTo(new Step.Demote(D));
    local.clear();
    mine(State.MANIFEST, 7);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void primaryElsewhereLeasedByUsNothing() {
    configure(S, false);
    mine(State.MANIFEST, 2);
    leases.add(new Lease(D, ME, null));
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void neverSealsALeasedDatasetHeldByAThirdHost() {
    configure(S, false);
    mine(State.MANIFEST, 2);
    leases.add(new Lease(D, T, null));
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void primaryElsewhereNoLeaseSeals() {
    configure(S, false);
    mine(State.MANIFEST, 2);
    assertThat(next()).isEqualTo(new Step.Seal(D));
  }

  @Test
  void aLeaseTakenByTheNewPrimaryBeforeTheMoveDoesNotPinIt() {
    configure(S, false);
    mine(State.MANIFEST, 2);
    leases.add(new Lease(D, S, null));
    assertThat(next()).isEqualTo(new Step.Seal(D));
  }

  @Test
  void sealedHereDemotedOnlyOnceThePrimaryReportsANewerManifest() {
    configure(S, false);
    mine(State.SEALED, 2);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
    reported(S, ReportedDataset.RECEIVING, 0);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
    reports.clear();
    reported(S, ReportedDataset.MANIFEST, 3);
    assertThat(next()).isEqualTo(new Step.Demote(D));
  }

  @Test
  void sealedHereNotDemotedForAManifestOnAHostThatIsNotThePrimary() {
    configure(S, false);
    mine(State.SEALED, 2);
    reported(T, ReportedDataset.MANIFEST, 3);
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void deletedAndUnleasedDestroysEvenAReplica() {
    configure(ME, true);
    mine(State.REPLICA, 2);
    assertThat(next()).isEqualTo(new Step.Destroy(D));
  }

  @Test
  void deletedButLeasedIsKept() {
    configure(ME, true);
    mine(State.MANIFEST, 2);
    leases.add(new Lease(D, ME, null));
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void aDatasetAbsentFromTheConfigurationIsNeverDestroyedButWarnedAbout() {
    mine(State.MANIFEST, 2);
    Convergence.Inputs in = Convergence.Inputs.of(ME, config, leases, reports, local, Set.of());
    assertThat(Convergence.next(in)).isEqualTo(Step.Nothing.INSTANCE);
    assertThat(Convergence.unknown(in)).containsExactly(D);
  }

  @Test
  void ourOwnStaleReportIsNeverASource() {
    configure(ME, false);
    reported(ME, ReportedDataset.SEALED, 9); // our disk says nothing: the report is old
    assertThat(next()).isEqualTo(Step.Nothing.INSTANCE);
  }

  @Test
  void oneStepPerTickInDatasetIdOrder() {
    configure(ME, false);
    config.add(new DatasetConfiguration("a0000000-0000-4000-8000-000000000001", ME, false,
        Map.of(), 1L << 30));
    assertThat(next()).isEqualTo(
        new Step.Create("a0000000-0000-4000-8000-000000000001", 1L << 30));
  }
}
