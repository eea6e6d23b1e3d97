package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.channel.ChannelClosedException;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.Receiver;
import dev.moire.runtime.channel.Sender;
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
    synchronized (first) { // TAKES-FIRST
      bothHold.countDown();
      MoireExtensionTest.awaitQuietly(bothHold);
      synchronized (second) { // ENTERS-SECOND
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
      b.lock(); // LOCKS-SECOND
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
      synchronized (ledger) { // JOINER-TAKES
        Thread worker =
            new Thread(
                () -> {
                  synchronized (ledger) { // WORKER-ENTERS
                    ledger.notifyAll();
                  }
                },
                "worker");
        worker.setDaemon(true);
        worker.start();
        worker.join(); // JOINS: waits for a thread that waits for this monitor
      }
    }

    @Test
    @Timeout(20)
    void threeTransfersInAMonitorRing() throws Exception {
      Object[] accounts = {new Account(), new Account(), new Account()};
      CountDownLatch allHold = new CountDownLatch(3);
      Thread[] transfers = new Thread[3];
      for (int i = 0; i < 3; i++) {
        Object mine = accounts[i];
        Object next = accounts[(i + 1) % 3];
        transfers[i] = new Thread(() -> monitors(mine, next, allHold), "transfer-" + (i + 1));
        transfers[i].setDaemon(true);
        transfers[i].start();
      }
      for (Thread t : transfers) {
        t.join();
      }
    }

    @Test
    @Timeout(20)
    void readsAChannelHoldingTheMonitorItsPublisherNeeds() throws Exception {
      Object ledger = new Account();
      MpscChannel<String> updates = Channels.mpsc("updates", 4);
      CountDownLatch readerHolds = new CountDownLatch(1);
      Thread publisher =
          new Thread(
              () -> {
                try (Sender<String> tx = updates.sender().clone()) { // the publisher's own sender
                  tx.send("opened");
                  readerHolds.await();
                  synchronized (ledger) { // PUBLISHER-ENTERS
                    tx.send("closed");
                  }
                } catch (InterruptedException | ChannelClosedException e) {
                  // unwound by the verdict, which closed the reader's end
                }
              },
              "publisher");
      publisher.setDaemon(true);
      publisher.start();
      try (Receiver<String> rx = updates.receiver()) {
        rx.recv(); // "opened": the publisher has its sender
        updates.sender().close(); // only the publisher can send now
        synchronized (ledger) { // READER-TAKES
          readerHolds.countDown();
          rx.recv(); // READER-WAITS: "closed" comes only from inside the ledger's monitor
        }
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

  private static final String TAKES = "JvmLocksTest\\.java:" + lineOf("TAKES-FIRST");
  private static final String ENTERS = "JvmLocksTest\\.java:" + lineOf("ENTERS-SECOND");
  private static final String LOCKS = "JvmLocksTest\\.java:" + lineOf("LOCKS-SECOND");

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
                + ENTERS
                + "\\), held by "
                + T
                + " since "
                + TAKES
                + ", which is blocked entering "
                + monitor
                + " \\("
                + ENTERS
                + "\\), held by "
                + T
                + " since "
                + TAKES
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
                + LOCKS
                + "\\), held by "
                + T
                + ", which waits on ReentrantLock@[0-9a-f]+ \\("
                + LOCKS
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
                + LOCKS
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
                + " waits for thread 'worker' to end \\(JvmLocksTest\\.java:"
                + lineOf("JOINS")
                + "\\), which is blocked entering monitor JvmLocksTest\\$Account@[0-9a-f]+"
                + " \\(JvmLocksTest\\.java:"
                + lineOf("WORKER-ENTERS")
                + "\\), held by task 'joinsAThreadWhileHoldingTheMonitorItNeeds\\(\\)' since"
                + " JvmLocksTest\\.java:"
                + lineOf("JOINER-TAKES")
                + "\n.*");
  }

  @Test
  void aThreeThreadMonitorRing_isACertainDeadlockNamingEveryTransfer() {
    String monitor = "monitor JvmLocksTest\\$Account@[0-9a-f]+";
    String step = " is blocked entering " + monitor + " \\(" + ENTERS + "\\), held by ";
    String t = "thread 'transfer-[123]'";
    assertThat(failureOf("threeTransfersInAMonitorRing"))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .matches(
            "(?s)moire found a deadlock: "
                + t
                + step
                + t
                + " since "
                + TAKES
                + ", which"
                + step
                + t
                + " since "
                + TAKES
                + ", which"
                + step
                + t
                + " since "
                + TAKES
                + "\nmoire report: .*");
  }

  @Test
  void aMonitorAndAChannelInOneCycle_isACertainDeadlock_namingTheLines() {
    String readerWaits = "JvmLocksTest.java:" + lineOf("READER-WAITS");
    String readerTakes = "JvmLocksTest.java:" + lineOf("READER-TAKES");
    String publisherEnters = "JvmLocksTest.java:" + lineOf("PUBLISHER-ENTERS");
    Throwable failure = failureOf("readsAChannelHoldingTheMonitorItsPublisherNeeds");
    assertThat(failure)
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .startsWith(
            "moire found a deadlock: task 'readsAChannelHoldingTheMonitorItsPublisherNeeds()'"
                + " waits on receiver of channel 'updates' ("
                + readerWaits
                + ")")
        .contains("thread 'publisher', which is blocked entering monitor JvmLocksTest$Account@")
        .contains(
            "("
                + publisherEnters
                + "), held by task 'readsAChannelHoldingTheMonitorItsPublisherNeeds()' since "
                + readerTakes
                + "\n")
        .doesNotContain("not certain");
  }

  /** The line of this file that carries {@code marker} in a comment. */
  static int lineOf(String marker) {
    return Kit.lineOf("src/test/java/dev/moire/junit/JvmLocksTest.java", marker);
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
