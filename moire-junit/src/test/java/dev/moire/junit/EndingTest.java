package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.sync.TrackedLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A test always ends: stuck in waits that ignore interrupts, it still fails within about a second
 * of moire's verdict or of JUnit's timeout, names the threads it leaves behind, and the next test
 * runs.
 */
@Timeout(60)
final class EndingTest {
  @TempDir Path dir;

  /** Never completed: whoever joins it waits for good. */
  static final CompletableFuture<String> NEVER = new CompletableFuture<>();

  @MoireTracked
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static final class StuckTestCase {
    @Test
    @Order(1)
    @Timeout(30)
    void joinsAFutureNobodyCompletes() {
      NEVER.join(); // ignores interrupts
    }

    @Test
    @Order(2)
    @Timeout(30)
    void entersAMonitorHeldByAStuckThread() throws Exception {
      Object ledger = new Object();
      CountDownLatch holds = new CountDownLatch(1);
      Thread auditor =
          new Thread(
              () -> {
                synchronized (ledger) {
                  holds.countDown();
                  NEVER.join();
                }
              },
              "auditor");
      auditor.setDaemon(true);
      auditor.start();
      holds.await();
      synchronized (ledger) { // BLOCKED: cannot be interrupted
        ledger.notifyAll();
      }
    }

    @Test
    @Order(3)
    void theNextTestRuns() {
      assertThat(1 + 1).isEqualTo(2);
    }
  }

  private static Throwable failureOf(EngineExecutionResults results, String method) {
    return results.testEvents().failed().list().stream()
        .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method))
        .findFirst()
        .orElseThrow(() -> new AssertionError(method + " did not fail"))
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  private void assertStuckTestsEndSoon(EngineExecutionResults results) {
    assertThat(failureOf(results, "joinsAFutureNobodyCompletes"))
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageStartingWith("moire found a stall: every thread of the test is blocked")
        .hasMessageContaining(
            "the test's threads did not end within 1000 ms and were left behind (stuck in waits"
                + " that ignore interrupts): '")
        .hasMessageContaining(" WAITING at EndingTest$StuckTestCase.joinsAFutureNobodyCompletes");
    assertThat(failureOf(results, "entersAMonitorHeldByAStuckThread"))
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageContaining(
            " BLOCKED at EndingTest$StuckTestCase.entersAMonitorHeldByAStuckThread"
                + " (EndingTest.java:")
        .hasMessageContaining("'auditor' WAITING at EndingTest$StuckTestCase.lambda$");
    // The verdict comes after the grace (50 ms); the body gets one second more. Loose bounds.
    assertThat(Kit.durationOf(results, "joinsAFutureNobodyCompletes"))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(Kit.durationOf(results, "entersAMonitorHeldByAStuckThread"))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(results.testEvents().succeeded().list())
        .singleElement()
        .satisfies(e -> assertThat(e.getTestDescriptor().getDisplayName()).startsWith("theNext"));
  }

  @Test
  void testsStuckInWaitsThatIgnoreInterrupts_failSoonAfterTheVerdict_andTheNextTestRuns() {
    assertStuckTestsEndSoon(Kit.run(dir, selectClass(StuckTestCase.class)));
  }

  @Test
  void inJUnitsSeparateThreadMode_stallsAreStillCaughtFast() {
    assertStuckTestsEndSoon(
        Kit.run(
            dir,
            selectClass(StuckTestCase.class),
            "junit.jupiter.execution.timeout.thread.mode.default",
            "SEPARATE_THREAD"));
  }

  // ---- a JUnit timeout, no verdict (a thread outside the test could act) ----

  @MoireTracked
  static final class TimeoutWhileStuckTestCase {
    @Test
    @Timeout(1)
    void joinsWhileALibraryTicks() {
      NEVER.join(); // a library's ticker runs from before the test: no verdict, only the timeout
    }
  }

  @Test
  void aJUnitTimeout_endsATestStuckInAnUninterruptibleWait_withinASecondMore() throws Exception {
    EngineExecutionResults results;
    Ticker ticker = new Ticker(); // keeps the world open: no verdict, only the timeout
    try {
      results = Kit.run(dir, selectClass(TimeoutWhileStuckTestCase.class));
    } finally {
      ticker.stop();
    }
    Throwable failure = failureOf(results, "joinsWhileALibraryTicks");
    assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(failure.getSuppressed())
        .anySatisfy(
            s ->
                assertThat(s.getMessage())
                    .contains("were left behind")
                    .contains("WAITING at EndingTest$TimeoutWhileStuckTestCase.joinsWhile"));
    assertThat(Kit.durationOf(results, "joinsWhileALibraryTicks"))
        .isLessThan(Duration.ofSeconds(6));
  }

  // ---- a retry loop that never succeeds, shown at the timeout ----

  @MoireTracked
  static final class LoopingTestCase {
    @Test
    @Timeout(1)
    void retriesForever() throws Exception {
      java.util.concurrent.atomic.AtomicBoolean ready =
          new java.util.concurrent.atomic.AtomicBoolean();
      while (!ready.get()) {
        Thread.sleep(20); // polls a condition nobody will make true
      }
    }
  }

  @Test
  void aThreadLoopingInTimedWaits_isShownAsSuchAtTheTimeout() {
    EngineExecutionResults results = Kit.run(dir, selectClass(LoopingTestCase.class));
    Throwable failure = failureOf(results, "retriesForever");
    assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(failure.getSuppressed())
        .anySatisfy(
            s ->
                assertThat(s.getMessage())
                    .containsPattern(
                        "'[^']+' loops in timed waits at EndingTest\\$LoopingTestCase.retriesForever"
                            + " \\(EndingTest.java:\\d+\\): the same frames at \\d+ wake-ups over"
                            + " \\d+ ms"));
  }

  // ---- quiet unwinding ----

  @MoireTracked
  static final class UnwindingTestCase {
    @Test
    @Timeout(30)
    void twoThreadsDeadlock() throws Exception {
      TrackedLock a = new TrackedLock("a");
      TrackedLock b = new TrackedLock("b");
      CountDownLatch allHold = new CountDownLatch(2);
      Thread[] threads = {
        new Thread(() -> cross(a, b, allHold), "left"),
        new Thread(() -> cross(b, a, allHold), "right")
      };
      for (Thread t : threads) {
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }

    private static void cross(TrackedLock first, TrackedLock second, CountDownLatch allHold) {
      first.lock();
      try {
        allHold.countDown();
        MoireExtensionTest.awaitQuietly(allHold);
        second.lock();
        second.unlock();
      } finally {
        first.unlock();
      }
    }
  }

  @Test
  void threadsUnwoundByTheVerdict_doNotEachPrintTheirStackTrace_oneLineSaysHowMany() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    EngineExecutionResults results;
    try {
      results = Kit.run(dir, selectClass(UnwindingTestCase.class));
    } finally {
      System.setErr(original);
    }
    assertThat(Kit.onlyFailure(results)).isInstanceOf(DeadlockDetectedError.class);
    String err = captured.toString(StandardCharsets.UTF_8);
    assertThat(err)
        .contains("twoThreadsDeadlock(): moire found a deadlock: thread '")
        // One thread or both: the second may get its lock as the first unwinds, and end normally.
        .containsPattern(
            "twoThreadsDeadlock\\(\\): [12] threads? (was|were) unwound by the verdict \\(their"
                + " DeadlockDetectedError is not printed\\)")
        .doesNotContain("Exception in thread");
  }
}
