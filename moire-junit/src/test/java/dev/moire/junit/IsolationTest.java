package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Nothing of one test reaches the next: a static pool whose threads were started by a deadlocked
 * test serves five later tests, whose tracked waits on those threads must not be aborted by the
 * first test's verdict, run one after another or in parallel.
 */
@Timeout(120)
final class IsolationTest {
  @TempDir Path dir;

  /** Started lazily by the first test that uses it: its threads carry that test's scope. */
  static volatile ExecutorService pool;

  static ExecutorService pool() {
    if (pool == null) {
      pool = Executors.newFixedThreadPool(2, r -> daemon(r, "static-pool"));
    }
    return pool;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @MoireTracked
  @Order(1)
  static final class DeadlockOnThePoolTestCase {
    @Test
    @Timeout(20)
    void transfersDeadlockOnThePool() throws Exception {
      TrackedLock alice = new TrackedLock("account alice");
      TrackedLock bob = new TrackedLock("account bob");
      CountDownLatch bothHold = new CountDownLatch(2);
      Future<?> one = pool().submit(() -> transfer(alice, bob, bothHold));
      Future<?> two = pool().submit(() -> transfer(bob, alice, bothHold));
      one.get();
      two.get();
    }

    private static void transfer(TrackedLock from, TrackedLock to, CountDownLatch bothHold) {
      from.lock();
      try {
        bothHold.countDown();
        MoireExtensionTest.awaitQuietly(bothHold);
        to.lock();
        to.unlock();
      } finally {
        from.unlock();
      }
    }
  }

  @MoireTracked
  @Order(2)
  static final class LaterTestsUseThePoolTestCase {
    /** A tracked wait on a pool thread, released by the test thread once it waits. */
    static void waitOnThePool(String name) throws Exception {
      TrackedSemaphore slot = new TrackedSemaphore(name, 0);
      Future<Integer> waiter =
          pool()
              .submit(
                  () -> {
                    slot.acquire();
                    slot.release();
                    return 1;
                  });
      // Until the pool thread blocks in the tracked wait (or failed to: the abort of another test).
      org.awaitility.Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .pollInterval(java.time.Duration.ofMillis(2))
          .until(() -> slot.hasQueuedThreads() || waiter.isDone());
      slot.release();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void first() throws Exception {
      waitOnThePool("slot-1");
    }

    @Test
    void second() throws Exception {
      waitOnThePool("slot-2");
    }

    @Test
    void third() throws Exception {
      waitOnThePool("slot-3");
    }

    @Test
    void fourth() throws Exception {
      waitOnThePool("slot-4");
    }

    @Test
    void fifth() throws Exception {
      waitOnThePool("slot-5");
    }
  }

  private static void assertOnlyTheDeadlockFailed(EngineExecutionResults results) {
    List<Event> failed = results.testEvents().failed().list();
    assertThat(failed)
        .as("only the deadlocked test fails")
        .singleElement()
        .satisfies(
            e ->
                assertThat(
                        e.getPayload(TestExecutionResult.class)
                            .flatMap(TestExecutionResult::getThrowable)
                            .orElseThrow())
                    .isInstanceOf(DeadlockDetectedError.class)
                    .hasMessageContaining("lock 'account"));
    assertThat(results.testEvents().succeeded().count()).isEqualTo(5);
  }

  @Test
  void aDeadlockedTest_doesNotAbortTheWaitsOfLaterTestsOnItsPool_sequentially() {
    pool = null;
    EngineExecutionResults results =
        Kit.run(
            dir,
            selectClass(DeadlockOnThePoolTestCase.class),
            "junit.jupiter.testclass.order.default",
            ClassOrderer.OrderAnnotation.class.getName());
    assertThat(results.testEvents().failed().count()).isEqualTo(1);
    EngineExecutionResults later = Kit.run(dir, selectClass(LaterTestsUseThePoolTestCase.class));
    assertThat(later.testEvents().failed().list()).isEmpty();
    assertThat(later.testEvents().succeeded().count()).isEqualTo(5);
    assertThat(later.testEvents().list()).noneMatch(e -> e.getType() == EventType.SKIPPED);
  }

  @Test
  void aDeadlockedTest_doesNotAbortTheWaitsOfLaterTestsOnItsPool_inParallel() {
    pool = null;
    EngineExecutionResults results =
        org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .configurationParameter(
                "junit.jupiter.testclass.order.default",
                ClassOrderer.OrderAnnotation.class.getName())
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
            .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
            .configurationParameter(
                "junit.jupiter.execution.parallel.mode.classes.default", "same_thread")
            .selectors(
                selectClass(DeadlockOnThePoolTestCase.class),
                selectClass(LaterTestsUseThePoolTestCase.class))
            .execute();
    assertOnlyTheDeadlockFailed(results);
  }
}
