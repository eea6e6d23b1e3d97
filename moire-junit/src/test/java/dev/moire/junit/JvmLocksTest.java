package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.moire.runtime.DeadlockDetectedError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The JVM's own locks in the graph: a cycle through {@code synchronized}, {@code ReentrantLock} or
 * a write lock in plain code, with no moire type in it, is a certain deadlock whose message names
 * both objects, both threads and the user's lines, whatever else runs beside it.
 */
@Timeout(60)
final class JvmLocksTest {
  @TempDir Path dir;

  /** An account of plain code: its monitor guards it. */
  static final class Account {}

  /** Two threads take two locks in opposite orders; both hold their first before the second. */
  static void invert(Supplier<Object[]> resources, Locker locker) throws InterruptedException {
    Object[] r = resources.get();
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread one = new Thread(() -> locker.cross(r[0], r[1], bothHold), "transfer-1");
    Thread two = new Thread(() -> locker.cross(r[1], r[0], bothHold), "transfer-2");
    one.setDaemon(true);
    two.setDaemon(true);
    one.start();
    two.start();
    one.join();
    two.join();
  }

  interface Locker {
    void cross(Object first, Object second, CountDownLatch bothHold);
  }

  static void monitors(Object first, Object second, CountDownLatch bothHold) {
    synchronized (first) {
      bothHold.countDown();
      MoireExtensionTest.awaitQuietly(bothHold);
      synchronized (second) {
        second.notifyAll();
      }
    }
  }

  static void locks(Object first, Object second, CountDownLatch bothHold) {
    Lock a = (Lock) first;
    Lock b = (Lock) second;
    a.lock();
    try {
      bothHold.countDown();
      MoireExtensionTest.awaitQuietly(bothHold);
      b.lock();
      b.unlock();
    } finally {
      a.unlock();
    }
  }

  @MoireTracked
  static final class PlainCodeTestCase {
    @Test
    @Timeout(20)
    void synchronizedInversion() throws Exception {
      invert(() -> new Object[] {new Account(), new Account()}, JvmLocksTest::monitors);
    }

    @Test
    @Timeout(20)
    void reentrantLockInversion() throws Exception {
      invert(() -> new Object[] {new ReentrantLock(), new ReentrantLock()}, JvmLocksTest::locks);
    }

    @Test
    @Timeout(20)
    void writeLockInversion() throws Exception {
      invert(
          () ->
              new Object[] {
                new ReentrantReadWriteLock().writeLock(), new ReentrantReadWriteLock().writeLock()
              },
          JvmLocksTest::locks);
    }

    @Test
    @Timeout(20)
    void synchronizedInversionBesideAThreadLoopingInTimedWaits() throws Exception {
      Object mailbox = new Object();
      Thread looper =
          new Thread(
              () -> {
                synchronized (mailbox) {
                  while (true) {
                    try {
                      mailbox.wait(100); // ticks for good: the test is never all blocked
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "looper");
      looper.setDaemon(true);
      looper.start();
      invert(() -> new Object[] {new Account(), new Account()}, JvmLocksTest::monitors);
    }

    @Test
    @Timeout(20)
    void joinsAThreadWhileHoldingTheMonitorItNeeds() throws Exception {
      Object ledger = new Account();
      synchronized (ledger) {
        Thread worker =
            new Thread(
                () -> {
                  synchronized (ledger) {
                    ledger.notifyAll();
                  }
                },
                "worker");
        worker.setDaemon(true);
        worker.start();
        worker.join(); // waits for a thread that waits for this monitor
      }
    }

    @Test
    @Timeout(1)
    void blockedBehindAThreadThatSleepsHoldingTheMonitor() throws Exception {
      Object ledger = new Account();
      CountDownLatch holds = new CountDownLatch(1);
      Thread auditor =
          new Thread(
              () -> {
                synchronized (ledger) {
                  holds.countDown();
                  while (true) {
                    try {
                      Thread.sleep(50); // a slow audit: not a deadlock, the timeout ends it
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "auditor");
      auditor.setDaemon(true);
      auditor.start();
      holds.await();
      synchronized (ledger) {
        ledger.notifyAll();
      }
    }
  }

  private Throwable failureOf(String method) {
    EngineExecutionResults results = Kit.run(dir, selectMethod(PlainCodeTestCase.class, method));
    assertThat(Kit.durationOf(results, method)).isLessThan(Duration.ofSeconds(4));
    return Kit.onlyFailure(results);
  }

  private static final String LINE = "JvmLocksTest\\.java:\\d+";
  private static final String T = "thread 'transfer-[12]'";

  @Test
  void aSynchronizedInversion_isACertainDeadlock_namingObjectsThreadsAndLines() {
    String monitor = "monitor JvmLocksTest\\$Account@[0-9a-f]+";
    assertThat(failureOf("synchronizedInversion"))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .matches(
            "(?s)moire found a deadlock: "
                + T
                + " is blocked entering "
                + monitor
                + " \\("
                + LINE
                + "\\), held by "
                + T
                + " since "
                + LINE
                + ", which is blocked entering "
                + monitor
                + " \\("
                + LINE
                + "\\), held by "
                + T
                + " since "
                + LINE
                + "\nmoire report: .*");
  }

  @Test
  void aReentrantLockInversion_isACertainDeadlock() {
    assertThat(failureOf("reentrantLockInversion"))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .matches(
            "(?s)moire found a deadlock: "
                + T
                + " waits on ReentrantLock@[0-9a-f]+ \\("
                + LINE
                + "\\), held by "
                + T
                + ", which waits on ReentrantLock@[0-9a-f]+ \\("
                + LINE
                + "\\), held by "
                + T
                + "\n.*");
  }

  @Test
  void aWriteLockInversion_isACertainDeadlock() {
    assertThat(failureOf("writeLockInversion"))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .matches(
            "(?s)moire found a deadlock: "
                + T
                + " waits on ReentrantReadWriteLock@[0-9a-f]+ \\("
                + LINE
                + "\\), held by "
                + T
                + ", which waits on ReentrantReadWriteLock@[0-9a-f]+ .*");
  }

  @Test
  void aJoinOfAThreadBlockedOnAMonitorTheJoinerHolds_isACertainDeadlock() {
    assertThat(failureOf("joinsAThreadWhileHoldingTheMonitorItNeeds"))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .matches(
            "(?s)moire found a deadlock: task 'joinsAThreadWhileHoldingTheMonitorItNeeds\\(\\)'"
                + " waits for thread 'worker' to end \\("
                + LINE
                + "\\), which is blocked entering monitor JvmLocksTest\\$Account@[0-9a-f]+ \\("
                + LINE
                + "\\), held by task 'joinsAThreadWhileHoldingTheMonitorItNeeds\\(\\)' since "
                + LINE
                + "\n.*");
  }

  @Test
  void aMonitorCycle_isCertainEvenBesideAThreadTickingInTimedWaits() {
    assertThat(failureOf("synchronizedInversionBesideAThreadLoopingInTimedWaits"))
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageStartingWith("moire found a deadlock: thread 'transfer-");
  }

  @Test
  void theEvidenceAtATimeout_listsTheJvmLocksAndWaits() {
    Throwable failure = failureOf("blockedBehindAThreadThatSleepsHoldingTheMonitor");
    assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(failure.getSuppressed())
        .anySatisfy(
            s ->
                assertThat(s.getMessage())
                    .containsPattern(
                        "(task|thread) '[^']+' waits on monitor JvmLocksTest\\$Account@[0-9a-f]+ \\("
                            + LINE)
                    .containsPattern(
                        "thread 'auditor' holds monitor JvmLocksTest\\$Account@[0-9a-f]+ \\("
                            + LINE));
  }
}
