package dev.moire.benchmarks;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How recording scales with threads (issue 18): throughput summed over the benchmark's threads, in
 * operations per microsecond, the raw JDK type against the tracked one in one runtime per JVM (as
 * in a test run) that someone observes every 10 ms (as the watchdog does). Each thread has its own
 * primitive unless the case says "shared".
 *
 * <p>The thread count is JMH's {@code -t}: {@code run.sh} runs 1 and 2 threads (this machine has
 * two cores); {@code -t 16} on a bigger machine reproduces the table.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalingBench {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** The one runtime of the JVM, observed every 10 ms, and the pools and the lock all share. */
  @State(Scope.Benchmark)
  public static class Shared {
    final MoireRuntime runtime = Runtimes.tracking();
    final ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "observer");
              t.setDaemon(true);
              return t;
            });
    final ExecutorService rawPool = Executors.newFixedThreadPool(8);
    final ExecutorService trackedPool =
        new TrackedThreadPoolExecutor(
            runtime,
            "pool",
            8,
            8,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Executors.defaultThreadFactory(),
            new ThreadPoolExecutor.AbortPolicy());
    final ReentrantLock rawLock = new ReentrantLock();
    final TrackedLock trackedLock = new TrackedLock(runtime, "shared", false);

    /** How often the runtime is observed, in ms, as the watchdog does (0: never). */
    @Param({"10"})
    public int observeEveryMs;

    @Setup
    public void start() {
      if (observeEveryMs > 0) {
        watchdog.scheduleAtFixedRate(
            runtime::snapshot, observeEveryMs, observeEveryMs, TimeUnit.MILLISECONDS);
      }
    }

    @TearDown
    public void stop() {
      watchdog.shutdownNow();
      rawPool.shutdownNow();
      trackedPool.shutdownNow();
    }
  }

  /** Each thread's own primitives, raw and tracked. */
  @State(Scope.Thread)
  public static class Own {
    ReentrantLock rawLock;
    TrackedLock trackedLock;
    Semaphore rawSemaphore;
    TrackedSemaphore trackedSemaphore;
    ReentrantReadWriteLock rawRw;
    TrackedReadWriteLock trackedRw;
    CountDownLatch rawLatch;
    TrackedCountDownLatch trackedLatch;
    ArrayBlockingQueue<Integer> rawQueue;
    ArrayBlockingQueue<Integer> trackedQueue;
    MpscChannel<Integer> channel;

    @Setup
    public void create(Shared shared) {
      MoireRuntime rt = shared.runtime;
      String n = "own-" + NAMES.incrementAndGet();
      rawLock = new ReentrantLock();
      trackedLock = new TrackedLock(rt, n, false);
      rawSemaphore = new Semaphore(4);
      trackedSemaphore = new TrackedSemaphore(rt, n, 4, false);
      rawRw = new ReentrantReadWriteLock();
      trackedRw = new TrackedReadWriteLock(rt, n, false);
      rawLatch = new CountDownLatch(Integer.MAX_VALUE);
      trackedLatch = new TrackedCountDownLatch(rt, n, Integer.MAX_VALUE);
      rawQueue = new ArrayBlockingQueue<>(1024);
      trackedQueue = new TrackedArrayBlockingQueue<>(rt, n, 1024, false);
      channel = Channels.on(rt).mpsc(n, 1024);
    }
  }

  static final Integer MESSAGE = 42;

  @Benchmark
  public void ownLock_raw(Own o) {
    o.rawLock.lock();
    o.rawLock.unlock();
  }

  @Benchmark
  public void ownLock_tracked(Own o) {
    o.trackedLock.lock();
    o.trackedLock.unlock();
  }

  @Benchmark
  public void ownSemaphore_raw(Own o) throws InterruptedException {
    o.rawSemaphore.acquire();
    o.rawSemaphore.release();
  }

  @Benchmark
  public void ownSemaphore_tracked(Own o) throws InterruptedException {
    o.trackedSemaphore.acquire();
    o.trackedSemaphore.release();
  }

  @Benchmark
  public void ownReadLock_raw(Own o) {
    o.rawRw.readLock().lock();
    o.rawRw.readLock().unlock();
  }

  @Benchmark
  public void ownReadLock_tracked(Own o) {
    o.trackedRw.readLock().lock();
    o.trackedRw.readLock().unlock();
  }

  @Benchmark
  public void ownLatch_raw(Own o) {
    o.rawLatch.countDown();
  }

  @Benchmark
  public void ownLatch_tracked(Own o) {
    o.trackedLatch.countDown();
  }

  @Benchmark
  public Integer ownQueue_raw(Own o) {
    o.rawQueue.offer(MESSAGE);
    return o.rawQueue.poll();
  }

  @Benchmark
  public Integer ownQueue_tracked(Own o) {
    o.trackedQueue.offer(MESSAGE);
    return o.trackedQueue.poll();
  }

  @Benchmark
  public Object ownChannel_tracked(Own o) {
    o.channel.sender().trySend(MESSAGE);
    return o.channel.receiver().tryRecv();
  }

  @Benchmark
  public Integer sharedPool_raw(Shared s) throws InterruptedException, ExecutionException {
    return s.rawPool.submit(() -> 1).get();
  }

  @Benchmark
  public Integer sharedPool_tracked(Shared s) throws InterruptedException, ExecutionException {
    return s.trackedPool.submit(() -> 1).get();
  }

  @Benchmark
  public void sharedLock_raw(Shared s) {
    s.rawLock.lock();
    try {
      Blackhole.consumeCPU(20);
    } finally {
      s.rawLock.unlock();
    }
  }

  @Benchmark
  public void sharedLock_tracked(Shared s) {
    s.trackedLock.lock();
    try {
      Blackhole.consumeCPU(20);
    } finally {
      s.trackedLock.unlock();
    }
  }
}
