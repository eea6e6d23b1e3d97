package dev.moire.benchmarks;

import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.ScopeHandle;
import dev.moire.runtime.internal.JvmLocks;
import dev.moire.runtime.internal.ThreadDump;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one observation of a test costs when its platform threads are blocked in plain code: the
 * runtime's snapshot with the given threads (their thread table), and the JVM's evidence on top
 * ({@link JvmLocks}: one {@code ThreadMXBean.getThreadInfo} with locked monitors and synchronizers
 * for all of them). Half the threads are blocked entering a monitor, half parked on a {@code
 * ReentrantLock}, both held by one gate thread. The thread count is the parameter: the watchdog
 * pays the first two at most once per interval (10 ms), the evidence with the thread dump only when
 * the cheaper evidence already suggests a verdict, and no tracked operation pays any of them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ObservationBench {
  /** The blocked threads and the gate that holds what they wait for. */
  @State(Scope.Benchmark)
  public static class Blocked {
    @Param({"50", "500"})
    public int threads;

    final Object monitor = new Object();
    final ReentrantLock lock = new ReentrantLock();
    final CountDownLatch release = new CountDownLatch(1);
    final List<Thread> waiting = new ArrayList<>();
    MoireRuntime runtime;
    ScopeHandle test;
    Thread gate;
    Snapshot rowsOnly;

    @Setup(Level.Trial)
    public void block() throws InterruptedException {
      runtime = Runtimes.tracking();
      test = runtime.openScope("ObservationBench > observe()", ScopeKind.TEST);
      CountDownLatch holds = new CountDownLatch(1);
      gate =
          new Thread(
              () -> {
                synchronized (monitor) {
                  lock.lock();
                  try {
                    holds.countDown();
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    lock.unlock();
                  }
                }
              },
              "gate");
      gate.start();
      holds.await();
      for (int i = 0; i < threads; i++) {
        boolean onMonitor = i % 2 == 0;
        Thread t =
            new Thread(
                () -> {
                  if (onMonitor) {
                    synchronized (monitor) {
                      monitor.notifyAll();
                    }
                  } else {
                    lock.lock();
                    lock.unlock();
                  }
                },
                "blocked-" + i);
        t.setDaemon(true);
        t.start();
        waiting.add(t);
      }
      for (Thread t : waiting) {
        while (t.getState() != Thread.State.BLOCKED && t.getState() != Thread.State.WAITING) {
          Thread.onSpinWait(); // setup only: until each is blocked where it should be
        }
      }
      // The thread table alone, as the runtime cuts it before the JVM's evidence is added.
      Snapshot full = runtime.snapshot(waiting);
      rowsOnly =
          new Snapshot(
              full.runtime(),
              full.seq(),
              full.at(),
              List.of(),
              full.scopes(),
              full.links(),
              List.of(),
              full.events(),
              full.threads().stream().map(t -> t.withEntity(java.util.Optional.empty())).toList());
    }

    @TearDown(Level.Trial)
    public void unblock() throws InterruptedException {
      release.countDown();
      gate.join();
      for (Thread t : waiting) {
        t.join();
      }
    }
  }

  /** A snapshot with every blocked thread in its thread table, the JVM's evidence included. */
  @Benchmark
  public Snapshot observe_withJvmEvidence(Blocked b) {
    return b.runtime.snapshot(b.waiting);
  }

  /**
   * What a verdict or a stored snapshot pays: the test's part of the graph with the JVM's whole
   * evidence, every monitor held and, on JDK 21+, the JVM's JSON thread dump (all of its threads,
   * read back and parsed). On JDK 17 there is no dump and this is the thread bean's evidence.
   */
  @Benchmark
  public Snapshot evidence_withThreadDump(Blocked b) {
    return b.runtime.snapshotWithJvmEvidence(b.test.id(), b.waiting, id -> true);
  }

  /** The JVM's JSON thread dump alone, written, read back and parsed (empty on JDK 17). */
  @Benchmark
  public Object threadDump_only() {
    return ThreadDump.take();
  }

  /** The JVM's evidence alone, over a thread table of every blocked thread cut beforehand. */
  @Benchmark
  public Snapshot jvmEvidence_only(Blocked b) {
    return JvmLocks.addTo(b.rowsOnly);
  }
}
