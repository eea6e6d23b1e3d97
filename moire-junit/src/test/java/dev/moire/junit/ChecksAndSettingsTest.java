package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.sync.TrackedLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** End-of-test checks, bad settings, and evidence attached to ordinary failures. */
@Timeout(60)
final class ChecksAndSettingsTest {
  @TempDir Path dir;

  private EngineExecutionResults run(
      org.junit.platform.engine.DiscoverySelector selector, String... params) {
    return Kit.run(dir, selector, params);
  }

  private static Throwable onlyFailure(EngineExecutionResults results) {
    return Kit.onlyFailure(results);
  }

  // ---- leaked holds and dangling receivers ----

  /** Keeps the fixtures' locks reachable: a lock nobody can reach is dropped, not leaked. */
  static final List<Object> KEEP = new java.util.concurrent.CopyOnWriteArrayList<>();

  static final class LeaksTestCase {
    @Test
    @MoireTracked
    void leakALock() throws Exception {
      TrackedLock ledger = new TrackedLock("ledger");
      KEEP.add(ledger);
      Thread t = new Thread(ledger::lock, "forgetful");
      t.start();
      t.join();
    }

    @Test
    @MoireTracked(leakedHolds = MoireTracked.Check.WARN)
    void leakALockButOnlyWarn() throws Exception {
      TrackedLock ledger = new TrackedLock("warned-ledger");
      KEEP.add(ledger);
      Thread t = new Thread(ledger::lock, "forgetful-too");
      t.start();
      t.join();
    }

    @Test
    @MoireTracked
    void leaveAReceiverOpen() throws Exception {
      MpscChannel<String> ch = Channels.mpsc("events", 1);
      KEEP.add(ch);
      ch.sender().send("x");
      ch.sender().close();
      assertThat(ch.receiver().recv()).contains("x");
      // the receiver is never closed
    }
  }

  @Test
  void aLockStillHeldByAnEndedThread_failsTheTest() {
    Throwable failure = onlyFailure(run(selectMethod(LeaksTestCase.class, "leakALock")));
    assertThat(failure)
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "moire: at the end of the test, one finding fails it:\n"
                + "  - moire found a leaked hold: thread 'forgetful' still holds lock 'ledger'")
        .hasMessageContaining("although it has ended")
        .hasMessageContaining(
            "(to only warn, set @MoireTracked(leakedHolds = WARN) or"
                + " moire.check.leaked-holds=warn)")
        .hasMessageContaining("moire report: ");
  }

  @Test
  void aLeakedHold_onlyWarns_whenAskedTo() {
    EngineExecutionResults results = run(selectMethod(LeaksTestCase.class, "leakALockButOnlyWarn"));
    results.testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(results.allEvents().reportingEntryPublished().list())
        .anySatisfy(
            e ->
                assertThat(
                        e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class)
                            .orElseThrow()
                            .getKeyValuePairs()
                            .get("moire.warning"))
                    .startsWith(
                        "moire found a leaked hold: thread 'forgetful-too' still holds lock"
                            + " 'warned-ledger'"));
  }

  @Test
  void aReceiverLeftWithoutSender_failsTheTest() {
    Throwable failure = onlyFailure(run(selectMethod(LeaksTestCase.class, "leaveAReceiverOpen")));
    assertThat(failure.getMessage())
        .startsWith(
            "moire: at the end of the test, one finding fails it:\n"
                + "  - moire found a dangling receiver: receiver of channel 'events'");
  }

  // ---- an Awaitility timeout, and an ordinary failure ----

  @MoireTracked
  static final class AwaitTestCase {
    @Test
    @SuppressWarnings("try")
    void waitForAStateThatNeverComes(MoireGraph graph) throws Exception {
      MpscChannel<String> jobs = Channels.mpsc("jobs", 1);
      try (var rx = jobs.receiver()) {
        await().atMost(Duration.ofMillis(300)).until(graph.waitingOn("jobs"));
      } finally {
        jobs.sender().close();
      }
    }
  }

  @Test
  void anAwaitilityTimeout_getsTheSnapshotAttached() {
    Throwable failure = onlyFailure(run(selectClass(AwaitTestCase.class)));
    assertThat(failure).isInstanceOf(org.awaitility.core.ConditionTimeoutException.class);
    assertThat(failure.getSuppressed())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.getMessage())
                    .startsWith(
                        "moire snapshot of dev.moire.junit.ChecksAndSettingsTest$AwaitTestCase >"
                            + " waitForAStateThatNeverComes(MoireGraph) (failure): ")
                    .contains("report: "));
    try (MoireStore store = MoireStore.open(dir.resolve("moire.db"))) {
      assertThat(store.snapshots())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.reason()).isEqualTo("failure");
                assertThat(s.message()).startsWith("org.awaitility.core.ConditionTimeoutException");
              });
    }
  }

  // ---- bad settings ----

  static final class BadSettingsTestCase {
    @Test
    @MoireTracked(grace = "soon")
    void badGrace() {}

    @Test
    @MoireTracked(watchdogInterval = "0ms")
    void zeroInterval() {}

    @Test
    @MoireTracked
    void fine() {}
  }

  @Test
  void anInvalidAttribute_isAConfigurationError_thatNamesItAndTheFix() {
    assertThat(onlyFailure(run(selectMethod(BadSettingsTestCase.class, "badGrace"))))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@MoireTracked(grace = \"soon\") is not a duration: write grace as a number and a"
                + " unit, such as 200ms, 2s or PT0.2S");
    assertThat(onlyFailure(run(selectMethod(BadSettingsTestCase.class, "zeroInterval"))))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@MoireTracked watchdogInterval must be between 1ms and 10s, was 0ms: the watchdog"
                + " must look often enough to fail a deadlocked test quickly");
  }

  @Test
  void anInvalidConfigurationParameter_isAConfigurationError_thatNamesItAndTheFix() {
    assertThat(
            onlyFailure(
                run(selectMethod(BadSettingsTestCase.class, "fine"), "moire.record", "sometimes")))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "configuration parameter moire.record=sometimes is not one of failures, always, never:"
                + " set it to one of those");
    assertThat(
            onlyFailure(run(selectMethod(BadSettingsTestCase.class, "fine"), "moire.grace", "-5s")))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "configuration parameter moire.grace=-5s is not a duration: write grace as a number"
                + " and a unit, such as 200ms, 2s or PT0.2S");
  }

  @MoireTracked
  static final class PlainTrackedTestCase {
    @Test
    void usesATrackedQueue() throws Exception {
      java.util.concurrent.BlockingQueue<String> q =
          new dev.moire.runtime.channel.TrackedBlockingQueue<>("jobs", 1);
      q.put("x");
      assertThat(q.take()).isEqualTo("x");
    }
  }

  @Test
  void disabled_tracksNothing_runsEveryTest_andSkipsTheOnesThatReadTheGraph() {
    EngineExecutionResults results =
        run(DiscoverySelectors.selectClass(AwaitTestCase.class), "moire.enabled", "false");
    assertThat(results.testEvents().failed().list()).isEmpty();
    assertThat(results.testEvents().aborted().list())
        .singleElement()
        .satisfies(
            e ->
                assertThat(
                        e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                            .orElseThrow())
                    .isInstanceOf(org.opentest4j.TestAbortedException.class)
                    .hasMessage(
                        "moire is disabled (moire.enabled=false), and this test reads moire's"
                            + " graph (it takes a MoireGraph): skipped"));
    EngineExecutionResults plain =
        run(DiscoverySelectors.selectClass(PlainTrackedTestCase.class), "moire.enabled", "false");
    assertThat(plain.testEvents().succeeded().count()).isEqualTo(1);
    assertThat(dir.resolve("moire.db")).doesNotExist();
  }
}
