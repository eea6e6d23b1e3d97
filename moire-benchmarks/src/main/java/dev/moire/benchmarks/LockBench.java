package dev.moire.benchmarks;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Lock/unlock and acquire/release, uncontended (one thread) and contended (two threads on one
 * lock): the raw JDK primitive, the tracked one, and the tracked one with tracking disabled.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBench {
  /** One lock of each flavour, shared by the benchmark's threads. */
  @State(Scope.Benchmark)
  public static class Locks {
    final ReentrantLock raw = new ReentrantLock();
    final TrackedLock tracked = new TrackedLock(Runtimes.tracking(), "bench", false);
    final TrackedLock disabled = new TrackedLock(Runtimes.disabled(), "bench", false);
    final Semaphore rawSemaphore = new Semaphore(4);
    final TrackedSemaphore trackedSemaphore =
        new TrackedSemaphore(Runtimes.tracking(), "bench", 4, false);
    final TrackedSemaphore disabledSemaphore =
        new TrackedSemaphore(Runtimes.disabled(), "bench", 4, false);
  }

  @Benchmark
  public void lock_raw(Locks s) {
    s.raw.lock();
    s.raw.unlock();
  }

  @Benchmark
  public void lock_tracked(Locks s) {
    s.tracked.lock();
    s.tracked.unlock();
  }

  /**
   * A tracked lock in a runtime that someone looks at every 10 ms, as the JUnit extension's
   * watchdog does: each look writes the hold if the lock is held just then, and the release after
   * it removes the edge again.
   */
  @State(Scope.Benchmark)
  public static class Observed {
    final MoireRuntime runtime = Runtimes.tracking();
    final TrackedLock lock = new TrackedLock(runtime, "observed", false);
    final ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "observer");
              t.setDaemon(true);
              return t;
            });

    @Setup
    public void start() {
      watchdog.scheduleAtFixedRate(runtime::snapshot, 10, 10, TimeUnit.MILLISECONDS);
    }

    @TearDown
    public void stop() {
      watchdog.shutdownNow();
    }
  }

  @Benchmark
  public void lock_trackedObserved(Observed s) {
    s.lock.lock();
    s.lock.unlock();
  }

  @Benchmark
  public void lock_disabled(Locks s) {
    s.disabled.lock();
    s.disabled.unlock();
  }

  @Benchmark
  @Threads(2)
  public void contendedLock_raw(Locks s) {
    s.raw.lock();
    s.raw.unlock();
  }

  @Benchmark
  @Threads(2)
  public void contendedLock_tracked(Locks s) {
    s.tracked.lock();
    s.tracked.unlock();
  }

  @Benchmark
  @Threads(2)
  public void contendedLock_disabled(Locks s) {
    s.disabled.lock();
    s.disabled.unlock();
  }

  @Benchmark
  public void semaphore_raw(Locks s) throws InterruptedException {
    s.rawSemaphore.acquire();
    s.rawSemaphore.release();
  }

  @Benchmark
  public void semaphore_tracked(Locks s) throws InterruptedException {
    s.trackedSemaphore.acquire();
    s.trackedSemaphore.release();
  }

  @Benchmark
  public void semaphore_disabled(Locks s) throws InterruptedException {
    s.disabledSemaphore.acquire();
    s.disabledSemaphore.release();
  }
}
