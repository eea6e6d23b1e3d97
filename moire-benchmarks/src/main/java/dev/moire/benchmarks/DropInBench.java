package dev.moire.benchmarks;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.channel.TrackedBlockingQueue;
import dev.moire.runtime.channel.TrackedLinkedBlockingDeque;
import dev.moire.runtime.channel.TrackedLinkedBlockingQueue;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedCyclicBarrier;
import dev.moire.runtime.task.TrackedCompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The uncontended cost of the drop-ins that are JDK types, against the JDK class in the same run: a
 * one-shot primitive's whole life as a test uses one (create a latch of 1, count it down, await it;
 * create a future, complete it, join it), an offer and a poll on each JDK queue subclass, and a
 * one-party barrier's await. Each case three ways: the JDK class ({@code _raw}), the drop-in with
 * tracking off ({@code _disabled}, which must stay within 5%), and tracked. Each thread has its own
 * primitives, so JMH's {@code -t} sets the thread count. (The lock and the semaphore are in {@link
 * LockBench}.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DropInBench {
  /** The runtimes, one tracking and one disabled. */
  @State(Scope.Benchmark)
  public static class Rt {
    final MoireRuntime tracking = Runtimes.tracking();
    final MoireRuntime disabled = Runtimes.disabled();
  }

  /** One thread's queues and barriers, each three ways. */
  @State(Scope.Thread)
  public static class Mine {
    final BlockingQueue<Long> abqRaw = new ArrayBlockingQueue<>(16);
    final BlockingQueue<Long> lbqRaw = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> lbdRaw = new LinkedBlockingDeque<>();
    final BlockingQueue<Long> tbqRaw = new ArrayBlockingQueue<>(16);
    final BlockingQueue<Long> tbqDisabled;
    final BlockingQueue<Long> tbqTracked;
    final BlockingQueue<Long> abqDisabled;
    final BlockingQueue<Long> lbqDisabled;
    final BlockingQueue<Long> lbdDisabled;
    final BlockingQueue<Long> abqTracked;
    final BlockingQueue<Long> lbqTracked;
    final BlockingQueue<Long> lbdTracked;
    final CyclicBarrier barrierRaw = new CyclicBarrier(1);
    final CyclicBarrier barrierDisabled;
    final CyclicBarrier barrierTracked;

    public Mine() {
      MoireRuntime off = Runtimes.disabled();
      MoireRuntime on = Runtimes.tracking();
      abqDisabled = new TrackedArrayBlockingQueue<>(off, "bench", 16, false);
      lbqDisabled = new TrackedLinkedBlockingQueue<>(off, "bench", Integer.MAX_VALUE);
      lbdDisabled = new TrackedLinkedBlockingDeque<>(off, "bench", Integer.MAX_VALUE);
      abqTracked = new TrackedArrayBlockingQueue<>(on, "bench", 16, false);
      lbqTracked = new TrackedLinkedBlockingQueue<>(on, "bench", Integer.MAX_VALUE);
      lbdTracked = new TrackedLinkedBlockingDeque<>(on, "bench", Integer.MAX_VALUE);
      tbqDisabled = new TrackedBlockingQueue<>(off, "bench", 16);
      tbqTracked = new TrackedBlockingQueue<>(on, "bench", 16);
      barrierDisabled = new TrackedCyclicBarrier(off, "bench", 1, null);
      barrierTracked = new TrackedCyclicBarrier(on, "bench", 1, null);
    }
  }

  static final Long MESSAGE = 42L;

  static Long offerPoll(BlockingQueue<Long> q) {
    q.offer(MESSAGE);
    return q.poll();
  }

  // ---- latch and future lives ----

  @Benchmark
  public long latch_raw() throws InterruptedException {
    CountDownLatch l = new CountDownLatch(1);
    l.countDown();
    l.await();
    return l.getCount();
  }

  @Benchmark
  public long latch_disabled(Rt rt) throws InterruptedException {
    CountDownLatch l = new TrackedCountDownLatch(rt.disabled, "bench", 1);
    l.countDown();
    l.await();
    return l.getCount();
  }

  @Benchmark
  public long latch_tracked(Rt rt) throws InterruptedException {
    CountDownLatch l = new TrackedCountDownLatch(rt.tracking, "bench", 1);
    l.countDown();
    l.await();
    return l.getCount();
  }

  @Benchmark
  public String future_raw() {
    CompletableFuture<String> f = new CompletableFuture<>();
    f.complete("v");
    return f.join();
  }

  @Benchmark
  public String future_disabled(Rt rt) {
    CompletableFuture<String> f = new TrackedCompletableFuture<>(rt.disabled, "bench");
    f.complete("v");
    return f.join();
  }

  @Benchmark
  public String future_tracked(Rt rt) {
    CompletableFuture<String> f = new TrackedCompletableFuture<>(rt.tracking, "bench");
    f.complete("v");
    return f.join();
  }

  // ---- queues: offer then poll, never waiting ----

  @Benchmark
  public Long abq_raw(Mine m) {
    return offerPoll(m.abqRaw);
  }

  @Benchmark
  public Long abq_disabled(Mine m) {
    return offerPoll(m.abqDisabled);
  }

  @Benchmark
  public Long abq_tracked(Mine m) {
    return offerPoll(m.abqTracked);
  }

  @Benchmark
  public Long lbq_raw(Mine m) {
    return offerPoll(m.lbqRaw);
  }

  @Benchmark
  public Long lbq_disabled(Mine m) {
    return offerPoll(m.lbqDisabled);
  }

  @Benchmark
  public Long lbq_tracked(Mine m) {
    return offerPoll(m.lbqTracked);
  }

  @Benchmark
  public Long lbd_raw(Mine m) {
    return offerPoll(m.lbdRaw);
  }

  @Benchmark
  public Long lbd_disabled(Mine m) {
    return offerPoll(m.lbdDisabled);
  }

  @Benchmark
  public Long lbd_tracked(Mine m) {
    return offerPoll(m.lbdTracked);
  }

  /** {@link TrackedBlockingQueue}, the wrapper (of an {@code ArrayBlockingQueue}, here). */
  @Benchmark
  public Long tbq_raw(Mine m) {
    return offerPoll(m.tbqRaw);
  }

  @Benchmark
  public Long tbq_disabled(Mine m) {
    return offerPoll(m.tbqDisabled);
  }

  @Benchmark
  public Long tbq_tracked(Mine m) {
    return offerPoll(m.tbqTracked);
  }

  // ---- a barrier of one party: trips at each await ----

  @Benchmark
  public int barrier_raw(Mine m) throws InterruptedException, BrokenBarrierException {
    return m.barrierRaw.await();
  }

  @Benchmark
  public int barrier_disabled(Mine m) throws InterruptedException, BrokenBarrierException {
    return m.barrierDisabled.await();
  }

  @Benchmark
  public int barrier_tracked(Mine m) throws InterruptedException, BrokenBarrierException {
    return m.barrierTracked.await();
  }
}
