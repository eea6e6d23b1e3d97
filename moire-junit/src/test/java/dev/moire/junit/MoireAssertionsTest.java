package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.Snapshot;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.sync.TrackedLock;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class MoireAssertionsTest {
  private final MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());
  private final TrackedLock vault = new TrackedLock(runtime, "vault", false);
  private final CountDownLatch release = new CountDownLatch(1);
  private Thread holder;
  private Thread waiter;

  @BeforeEach
  void oneThreadHoldsTheVault_anotherWaitsForIt() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    holder =
        new Thread(
            () -> {
              vault.lock();
              try {
                held.countDown();
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                vault.unlock();
              }
            },
            "holder");
    holder.start();
    held.await();
    waiter =
        new Thread(
            () -> {
              vault.lock();
              vault.unlock();
            },
            "waiter");
    waiter.start();
    await()
        .until(
            () ->
                MoireGraph.hasEdge(
                    runtime.snapshot(), dev.moire.model.EdgeKind.WAITING_ON, "waiter", "vault"));
  }

  @AfterEach
  void release() throws Exception {
    release.countDown();
    holder.join();
    waiter.join();
  }

  @Test
  void factsThatHold_pass() {
    Snapshot s = runtime.snapshot();
    MoireAssertions.assertThat(s)
        .hasNoDeadlocks()
        .hasNoWaitingOnCycles()
        .hasNoDanglingReceivers()
        .hasNoLeakedHolds()
        .hasEntity("vault")
        .hasNoEntity("attic")
        .hasNoFinding(FindingKind.LOST_SENDER);
    MoireAssertions.assertThat(s).task("waiter").isWaitingOn("vault");
    MoireAssertions.assertThat(s).task("holder").holds("vault").isNotWaiting();
  }

  @Test
  void aWrongWait_isExplained() {
    Snapshot s = runtime.snapshot();
    assertThatThrownBy(() -> MoireAssertions.assertThat(s).task("holder").isWaitingOn("vault"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting thread 'holder' to wait on 'vault', but it waits on nothing");
    assertThatThrownBy(() -> MoireAssertions.assertThat(s).task("waiter").isNotWaiting())
        .hasMessage("Expecting thread 'waiter' not to be waiting, but it waits on lock 'vault'");
    assertThatThrownBy(() -> MoireAssertions.assertThat(s).task("waiter").holds("vault"))
        .hasMessage("Expecting thread 'waiter' to hold 'vault', but it holds nothing");
  }

  @Test
  void aMissingEntity_listsWhatIsThere() {
    Snapshot s = runtime.snapshot();
    assertThatThrownBy(() -> MoireAssertions.assertThat(s).hasEntity("attic"))
        .hasMessageStartingWith(
            "Expecting the snapshot to have an entity named 'attic', but it has only: ")
        .hasMessageContaining("lock 'vault'")
        .hasMessageContaining("thread 'waiter'");
    assertThatThrownBy(() -> MoireAssertions.assertThat(s).task("nobody"))
        .hasMessageStartingWith(
            "Expecting the snapshot to have a task or thread named 'nobody', but it has only: ");
  }

  @Test
  void aLeakedHold_isListedWithItsExplanation() {
    Snapshot s = runtime.snapshot();
    assertThatThrownBy(
            () ->
                MoireAssertions.assertThat(s)
                    .usingSettings(
                        dev.moire.model.findings.FindingSettings.defaults().withTestEnded(true))
                    .hasNoLeakedHolds())
        .hasMessage(
            "Expecting the snapshot to have no leaked holds, but found:\n"
                + "  - leaked_hold (warning): thread 'holder' still holds lock 'vault'"
                + " (MoireAssertionsTest.java:21) although the test has ended");
    assertThat(s.entitiesNamed("vault")).hasSize(1);
  }
}
