package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.model.EdgeKind;
import dev.moire.model.Snapshot;
import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoredSnapshot;
import dev.moire.runtime.sync.TrackedLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** The extension, run through the JUnit test kit on the nested {@code ...TestCase} fixtures. */
@Timeout(60)
final class MoireExtensionTest {
  @TempDir Path dir;

  /** Source lines the fixtures report, by name. */
  static final Map<String, Integer> LINES = new ConcurrentHashMap<>();

  /** Threads the fixtures started, by name, to check after the fixture ran. */
  static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();

  static int nextLine() {
    return new Throwable().getStackTrace()[1].getLineNumber() + 1;
  }

  private EngineExecutionResults run(Class<?> fixture, String... params) {
    return Kit.run(dir, selectClass(fixture), params);
  }

  private static Throwable failureOf(EngineExecutionResults results) {
    return Kit.onlyFailure(results);
  }

  private static Duration durationOf(EngineExecutionResults results) {
    List<Event> events = results.testEvents().list();
    Event started =
        events.stream().filter(e -> e.getType() == EventType.STARTED).findFirst().orElseThrow();
    Event finished =
        events.stream().filter(e -> e.getType() == EventType.FINISHED).findFirst().orElseThrow();
    return Duration.between(started.getTimestamp(), finished.getTimestamp());
  }

  // ---- a lock-order inversion ----

  @MoireTracked
  static final class LockInversionTestCase {
    @Test
    void transfer() throws Exception {
      TrackedLock accounts = new TrackedLock("accounts");
      TrackedLock audit = new TrackedLock("audit");
      CountDownLatch bothHold = new CountDownLatch(2);
      Thread a =
          new Thread(
              () -> {
                accounts.lock();
                try {
                  bothHold.countDown();
                  awaitQuietly(bothHold);
                  LINES.put("a", nextLine());
                  audit.lock();
                  audit.unlock();
                } finally {
                  accounts.unlock();
                }
              },
              "worker-1");
      Thread b =
          new Thread(
              () -> {
                audit.lock();
                try {
                  bothHold.countDown();
                  awaitQuietly(bothHold);
                  LINES.put("b", nextLine());
                  accounts.lock();
                  accounts.unlock();
                } finally {
                  audit.unlock();
                }
              },
              "worker-2");
      THREADS.put("a", a);
      THREADS.put("b", b);
      a.start();
      b.start();
      a.join();
      b.join();
    }
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void lockOrderInversion_failsWithinASecond_namingBothLocksTasksAndLines() throws Exception {
    EngineExecutionResults results = run(LockInversionTestCase.class);
    Throwable failure = failureOf(results);
    assertThat(failure).isInstanceOf(DeadlockDetectedError.class);
    String file = "MoireExtensionTest.java:";
    String first = failure.getMessage().lines().findFirst().orElseThrow();
    assertThat(first)
        .startsWith("moire found a deadlock: thread 'worker-")
        .contains("lock 'accounts'", "lock 'audit'", "thread 'worker-1'", "thread 'worker-2'")
        .contains(file + LINES.get("a"), file + LINES.get("b"));
    assertThat(first)
        .isIn(
            "moire found a deadlock: thread 'worker-1' waits on lock 'audit' ("
                + file
                + LINES.get("a")
                + "), held by thread 'worker-2', which waits on lock 'accounts' ("
                + file
                + LINES.get("b")
                + "), held by thread 'worker-1'",
            "moire found a deadlock: thread 'worker-2' waits on lock 'accounts' ("
                + file
                + LINES.get("b")
                + "), held by thread 'worker-1', which waits on lock 'audit' ("
                + file
                + LINES.get("a")
                + "), held by thread 'worker-2'");
    assertThat(failure.getMessage()).contains("moire report: ", dir.resolve("report").toString());
    assertThat(durationOf(results)).isLessThan(Duration.ofSeconds(1));
    // Every tracked wait was aborted: both workers unwound and ended.
    THREADS.get("a").join(10_000);
    THREADS.get("b").join(10_000);
    assertThat(THREADS.get("a").isAlive()).isFalse();
    assertThat(THREADS.get("b").isAlive()).isFalse();
    try (MoireStore store = MoireStore.open(dir.resolve("moire.db"))) {
      assertThat(store.snapshots())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.reason()).isEqualTo("deadlock");
                assertThat(s.test()).endsWith("LockInversionTestCase > transfer()");
              });
    }
    assertThat(dir.resolve("report").resolve("index.html")).exists();
  }

  /** Its own names: the runtime numbers a repeated name (#2, #3...) for as long as it runs. */
  @MoireTracked
  static final class RepeatedInversionTestCase {
    @Test
    void cross() throws Exception {
      TrackedLock left = new TrackedLock("left");
      TrackedLock right = new TrackedLock("right");
      CountDownLatch both = new CountDownLatch(2);
      Thread a = new Thread(() -> cross(left, right, both), "cross-a");
      Thread b = new Thread(() -> cross(right, left, both), "cross-b");
      a.start();
      b.start();
      a.join();
      b.join();
    }

    private static void cross(TrackedLock first, TrackedLock second, CountDownLatch both) {
      first.lock();
      try {
        both.countDown();
        awaitQuietly(both);
        second.lock();
        second.unlock();
      } finally {
        first.unlock();
      }
    }
  }

  @Test
  void aLockOrderInversion_isReportedAsTheDeadlock_neverAsTheStallItAlsoIs() {
    // The stall's clock and the cycle's can start a tick apart; the more specific finding wins.
    for (int i = 0; i < 20; i++) {
      Throwable failure = failureOf(run(RepeatedInversionTestCase.class));
      assertThat(failure.getMessage()).as("run %d", i).startsWith("moire found a deadlock: ");
    }
  }

  // ---- a lost sender ----

  @MoireTracked
  static final class LostSenderTestCase {
    @Test
    void consume() throws Exception {
      MpscChannel<String> jobs = Channels.mpsc("jobs", 4);
      ChecksAndSettingsTest.KEEP.add(jobs); // "lost in a map": reachable, never closed
      Thread producer =
          new Thread(
              () -> {
                try {
                  jobs.sender().send("job-1");
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                // ...and returns without closing the sender
              },
              "producer");
      producer.start();
      for (String job : jobs.receiver()) {
        assertThat(job).startsWith("job-");
      }
    }
  }

  @Test
  void aConsumerWaitingOnALostSender_failsNamingTheChannelAndTheProducer() {
    Throwable failure = failureOf(run(LostSenderTestCase.class));
    assertThat(failure).isInstanceOf(DeadlockDetectedError.class);
    assertThat(failure.getMessage().lines().findFirst().orElseThrow())
        .startsWith(
            "moire found a lost sender: task 'consume()' waits on receiver of channel 'jobs'")
        .contains(
            "its sender of channel 'jobs'",
            "thread 'producer', which has ended without closing it");
  }

  // ---- a stall next to an idle pool worker, and next to a thread that could act ----

  @MoireTracked
  static final class IdleWorkerTestCase {
    @Test
    @Timeout(10)
    void waitForever() throws Exception {
      ThreadGroup root = Thread.currentThread().getThreadGroup();
      while (root.getParent() != null) {
        root = root.getParent();
      }
      ThreadGroup group = root;
      // Like the JDK's process reaper between children: a pool worker in a timed wait for work.
      java.util.concurrent.ThreadPoolExecutor pool =
          new java.util.concurrent.ThreadPoolExecutor(
              0,
              1,
              20,
              java.util.concurrent.TimeUnit.SECONDS,
              new java.util.concurrent.SynchronousQueue<>(),
              r -> {
                Thread t = new Thread(group, r, "reaper-like");
                t.setDaemon(true);
                return t;
              });
      try {
        pool.submit(() -> {}).get();
        new dev.moire.runtime.sync.TrackedCountDownLatch("ready", 1).await();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aStall_isFound_althoughAnIdlePoolWorkerWaitsForWorkBesideIt() {
    Throwable failure = failureOf(run(IdleWorkerTestCase.class));
    assertThat(failure)
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageStartingWith("moire found a stall: every thread of the test is blocked");
  }

  @MoireTracked
  static final class OpenWorldTestCase {
    @Test
    @Timeout(1)
    void waitWhileAnotherThreadTicks() throws Exception {
      // The library's ticker existed before the test (so it is not the test's), and could act.
      new dev.moire.runtime.sync.TrackedCountDownLatch("ready", 1).await();
    }
  }

  @Test
  void aStall_whileAThreadOutsideTheTestCouldAct_isOnlyPossible_andShownAtTheTimeout()
      throws Exception {
    Throwable failure;
    Ticker ticker = new Ticker();
    try {
      failure = failureOf(run(OpenWorldTestCase.class));
    } finally {
      ticker.stop();
    }
    assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(failure.getSuppressed())
        .anySatisfy(
            s ->
                assertThat(s.getMessage())
                    .contains("global_stall (possible)")
                    // Named as the thread that could act, in the state the JVM saw at that
                    // instant: parked between ticks, or just woken (seen RUNNABLE once in CI).
                    .containsPattern("could still act: 'library-ticker' (TIMED_WAITING|RUNNABLE)"));
  }

  @Test
  void aThreadDeclaredHousekeeping_doesNotKeepTheWorldOpen() throws Exception {
    Ticker ticker = new Ticker();
    Throwable failure;
    try {
      failure =
          failureOf(run(OpenWorldTestCase.class, "moire.world.housekeeping-threads", "library-.*"));
    } finally {
      ticker.stop();
    }
    assertThat(failure)
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageStartingWith("moire found a stall: every thread of the test is blocked");
  }

  @Test
  void aHousekeepingPatternThatIsNoRegex_isRefusedClearly() {
    Throwable failure =
        failureOf(run(OpenWorldTestCase.class, "moire.world.housekeeping-threads", "metrics-[0-"));
    assertThat(failure)
        .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
        .hasMessageStartingWith(
            "configuration parameter moire.world.housekeeping-threads=metrics-[0- is not a regular"
                + " expression (")
        .hasMessageEndingWith("): write one that matches whole thread names, such as metrics-.*");
  }

  // ---- a JUnit timeout while another thread spins ----

  @MoireTracked
  static final class TimeoutTestCase {
    @Test
    @Timeout(1)
    void waitWhileSpinning() throws Exception {
      MpscChannel<String> results = Channels.mpsc("results", 1);
      AtomicBoolean stop = new AtomicBoolean();
      Thread spinner =
          new Thread(
              () -> {
                while (!stop.get()) {
                  Thread.onSpinWait();
                }
              },
              "spinner");
      spinner.start();
      try {
        results.receiver().recv();
      } finally {
        stop.set(true);
        results.sender().close();
      }
    }
  }

  @Test
  void aTimeout_storesTheSnapshotTakenBeforeTheInterrupt() {
    Throwable failure = failureOf(run(TimeoutTestCase.class));
    assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(failure.getSuppressed())
        .anySatisfy(
            s ->
                assertThat(s.getMessage())
                    .startsWith("moire snapshot of ")
                    .contains("(timeout)", "waits on receiver of channel 'results'"));
    try (MoireStore store = MoireStore.open(dir.resolve("moire.db"))) {
      StoredSnapshot stored = store.snapshots().get(0);
      assertThat(store.snapshots()).hasSize(1);
      assertThat(stored.reason()).isEqualTo("timeout");
      Snapshot s = store.snapshot(stored.snapshotId());
      assertThat(s.edgesOfKind(EdgeKind.WAITING_ON))
          .anySatisfy(e -> assertThat(s.entity(e.dst()).orElseThrow().name()).isEqualTo("results"));
    }
  }

  // ---- passing tests, and parallel ones ----

  @MoireTracked
  static final class PassingTestCase {
    @Test
    void pass() throws Exception {
      MpscChannel<Integer> ch = Channels.mpsc("numbers", 2);
      try (var rx = ch.receiver()) {
        ch.sender().send(1);
        ch.sender().close();
        assertThat(rx.recv()).contains(1);
      }
    }
  }

  @Test
  void aPassingTest_recordsNothingByDefault() {
    run(PassingTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(dir.resolve("moire.db")).doesNotExist();
  }

  static final AtomicInteger PARALLEL = new AtomicInteger();

  @MoireTracked(record = MoireTracked.Record.ALWAYS)
  static final class ParallelTestCase {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
        ints = {
          0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
          25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
          47, 48, 49
        })
    void test(int i, MoireGraph graph) throws Exception {
      MpscChannel<Integer> ch = Channels.mpsc("ch-" + i, 2);
      TrackedLock lock = new TrackedLock("lock-" + i);
      ChecksAndSettingsTest.KEEP.add(lock); // still there when the passing test is recorded
      Thread helper =
          new Thread(
              () -> {
                lock.lock();
                lock.unlock();
              },
              "helper-" + i);
      helper.start();
      helper.join();
      try (var rx = ch.receiver()) {
        ch.sender().send(i);
        ch.sender().close();
        assertThat(rx.recv()).contains(i);
        MoireAssertions.assertThat(graph.snapshot()).hasEntity("lock-" + i).hasNoDeadlocks();
      }
      PARALLEL.incrementAndGet();
    }
  }

  @Test
  void fiftyParallelTests_keepTheirGraphsApart() {
    EngineExecutionResults results =
        run(
            ParallelTestCase.class,
            "junit.jupiter.execution.parallel.enabled",
            "true",
            "junit.jupiter.execution.parallel.mode.default",
            "concurrent",
            "junit.jupiter.execution.parallel.config.strategy",
            "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism",
            "8");
    results.testEvents().assertStatistics(s -> s.succeeded(50).failed(0));
    try (MoireStore store = MoireStore.open(dir.resolve("moire.db"))) {
      List<StoredSnapshot> all = store.snapshots();
      assertThat(all).hasSize(50);
      for (StoredSnapshot meta : all) {
        String i = meta.test().replaceAll(".*\\[\\d+\\] (\\d+)$", "$1");
        Snapshot s = store.snapshot(meta.snapshotId());
        assertThat(s.entities())
            .filteredOn(e -> e.name().matches("(ch|lock|helper)-\\d+"))
            .as("entities of %s", meta.test())
            .isNotEmpty()
            .allSatisfy(e -> assertThat(e.name()).endsWith("-" + i));
      }
    }
  }
}
