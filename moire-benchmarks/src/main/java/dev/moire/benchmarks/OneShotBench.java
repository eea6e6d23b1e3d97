package dev.moire.benchmarks;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.task.TrackedCompletableFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The uncontended life of a one-shot primitive, as a test uses one: create a latch of 1, count it
 * down, await it; create a future, complete it, join it. The JDK class, the drop-in with tracking
 * off (which must stay within a few percent), and tracked (which creates and retires a graph entity
 * each time). The thread count is JMH's {@code -t}: each thread has its own primitives.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OneShotBench {
  /** The runtimes, one tracking and one disabled. */
  @State(Scope.Benchmark)
  public static class Rt {
    final MoireRuntime tracking = Runtimes.tracking();
    final MoireRuntime disabled = Runtimes.disabled();
  }

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
}
