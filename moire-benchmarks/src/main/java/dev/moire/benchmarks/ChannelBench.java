package dev.moire.benchmarks;

import dev.moire.runtime.channel.ChannelFactory;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.channel.TrackedBlockingQueue;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Message throughput through a bounded queue of 1024: one producer and one consumer (SPSC), and two
 * of each (MPMC; the tracked queue wraps an ArrayBlockingQueue). Each side waits at most a
 * millisecond, so a benchmark iteration can always end; the figure is messages per microsecond on
 * each side.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChannelBench {
  static final Duration WAIT = Duration.ofMillis(1);
  static final int CAPACITY = 1024;
  static final Long MESSAGE = 42L;

  /** The queues, one of each flavour. */
  @State(Scope.Group)
  public static class Queues {
    final ArrayBlockingQueue<Long> abq = new ArrayBlockingQueue<>(CAPACITY);
    final BlockingQueue<Long> tbq =
        new TrackedBlockingQueue<>(Runtimes.tracking(), "bench", CAPACITY);
    final ArrayBlockingQueue<Long> tabq =
        new TrackedArrayBlockingQueue<>(Runtimes.tracking(), "bench", CAPACITY, false);
    final ArrayBlockingQueue<Long> tabqDisabled =
        new TrackedArrayBlockingQueue<>(Runtimes.disabled(), "bench", CAPACITY, false);
    final MpscChannel<Long> mpsc = Channels.on(Runtimes.tracking()).mpsc("bench", CAPACITY);
    final ChannelFactory off = Channels.on(Runtimes.disabled());
    final MpscChannel<Long> mpscDisabled = off.mpsc("bench", CAPACITY);
  }

  static boolean put(BlockingQueue<Long> q) throws InterruptedException {
    return q.offer(MESSAGE, 1, TimeUnit.MILLISECONDS);
  }

  static Long take(BlockingQueue<Long> q) throws InterruptedException {
    return q.poll(1, TimeUnit.MILLISECONDS);
  }

  // ---- SPSC ----

  @Benchmark
  @Group("spsc_abq_raw")
  @GroupThreads(1)
  public boolean spscAbqPut(Queues q) throws InterruptedException {
    return put(q.abq);
  }

  @Benchmark
  @Group("spsc_abq_raw")
  @GroupThreads(1)
  public Long spscAbqTake(Queues q) throws InterruptedException {
    return take(q.abq);
  }

  @Benchmark
  @Group("spsc_mpsc_tracked")
  @GroupThreads(1)
  public boolean spscMpscSend(Queues q) throws InterruptedException {
    return q.mpsc.sender().send(MESSAGE, WAIT);
  }

  @Benchmark
  @Group("spsc_mpsc_tracked")
  @GroupThreads(1)
  public Object spscMpscRecv(Queues q) throws InterruptedException {
    return q.mpsc.receiver().recv(WAIT);
  }

  @Benchmark
  @Group("spsc_mpsc_disabled")
  @GroupThreads(1)
  public boolean spscMpscOffSend(Queues q) throws InterruptedException {
    return q.mpscDisabled.sender().send(MESSAGE, WAIT);
  }

  @Benchmark
  @Group("spsc_mpsc_disabled")
  @GroupThreads(1)
  public Object spscMpscOffRecv(Queues q) throws InterruptedException {
    return q.mpscDisabled.receiver().recv(WAIT);
  }

  @Benchmark
  @Group("spsc_tbq_tracked")
  @GroupThreads(1)
  public boolean spscTbqPut(Queues q) throws InterruptedException {
    return put(q.tbq);
  }

  @Benchmark
  @Group("spsc_tbq_tracked")
  @GroupThreads(1)
  public Long spscTbqTake(Queues q) throws InterruptedException {
    return take(q.tbq);
  }

  @Benchmark
  @Group("spsc_tabq_tracked")
  @GroupThreads(1)
  public boolean spscTabqPut(Queues q) throws InterruptedException {
    return put(q.tabq);
  }

  @Benchmark
  @Group("spsc_tabq_tracked")
  @GroupThreads(1)
  public Long spscTabqTake(Queues q) throws InterruptedException {
    return take(q.tabq);
  }

  @Benchmark
  @Group("spsc_tabq_disabled")
  @GroupThreads(1)
  public boolean spscTabqOffPut(Queues q) throws InterruptedException {
    return put(q.tabqDisabled);
  }

  @Benchmark
  @Group("spsc_tabq_disabled")
  @GroupThreads(1)
  public Long spscTabqOffTake(Queues q) throws InterruptedException {
    return take(q.tabqDisabled);
  }

  // ---- MPMC ----

  @Benchmark
  @Group("mpmc_abq_raw")
  @GroupThreads(2)
  public boolean mpmcAbqPut(Queues q) throws InterruptedException {
    return put(q.abq);
  }

  @Benchmark
  @Group("mpmc_abq_raw")
  @GroupThreads(2)
  public Long mpmcAbqTake(Queues q) throws InterruptedException {
    return take(q.abq);
  }

  @Benchmark
  @Group("mpmc_tbq_tracked")
  @GroupThreads(2)
  public boolean mpmcTbqPut(Queues q) throws InterruptedException {
    return put(q.tbq);
  }

  @Benchmark
  @Group("mpmc_tbq_tracked")
  @GroupThreads(2)
  public Long mpmcTbqTake(Queues q) throws InterruptedException {
    return take(q.tbq);
  }
}
