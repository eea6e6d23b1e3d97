package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EntityKind;
import dev.moire.model.Snapshot;
import dev.moire.runtime.channel.BroadcastChannel;
import dev.moire.runtime.channel.ChannelFactory;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.channel.TrackedBlockingQueue;
import dev.moire.runtime.channel.TrackedLinkedBlockingDeque;
import dev.moire.runtime.channel.TrackedLinkedBlockingQueue;
import dev.moire.runtime.channel.WatchChannel;
import dev.moire.runtime.sync.Notify;
import dev.moire.runtime.sync.OnceCell;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedCyclicBarrier;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedCompletableFuture;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18's structural proof: the uncontended operations of every primitive never take the graph's
 * one lock. The runtime's graph gets a lock that counts its acquisitions by the test's worker
 * threads; each of {@value #THREADS} threads makes its own primitive, uses it once (creating an
 * entity, a thread's entity on its first use and a {@code polls} edge on a task's first use of a
 * primitive are not per-operation costs), and then runs {@value #OPS} operations that never wait:
 * the lock must not have been taken once. Then the graph is observed, and it shows what the
 * operations did.
 */
@Timeout(120)
final class UncontendedPathTest {
  private static final int THREADS = 4;
  private static final int OPS = 10_000;

  /** Counts the acquisitions made by threads that {@link #counting} marks. */
  static final class CountingLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    final transient ThreadLocal<Boolean> counting = ThreadLocal.withInitial(() -> false);
    final AtomicLong acquisitions = new AtomicLong();

    /** Where the first few counted acquisitions came from, to say so when there are any. */
    final transient List<String> where = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void count() {
      if (counting.get()) {
        if (acquisitions.incrementAndGet() <= 3) {
          StringBuilder b = new StringBuilder(Thread.currentThread().getName());
          for (StackTraceElement e : new Throwable().getStackTrace()) {
            b.append("\n    at ").append(e);
          }
          where.add(b.toString());
        }
      }
    }

    @Override
    public void lock() {
      count();
      super.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      count();
      super.lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
      count();
      return super.tryLock();
    }

    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
      count();
      return super.tryLock(timeout, unit);
    }
  }

  /** One primitive kind: what a thread makes, and one operation on it that never waits. */
  interface Kind {
    Op make(MoireRuntime runtime, String name) throws Exception;
  }

  /** An operation on a thread's own primitive. */
  interface Op {
    void run() throws Exception;
  }

  private CountingLock lock;
  private MoireRuntime runtime;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void create() {
    lock = new CountingLock();
    runtime = MoireRuntime.createWithGraphLock(RuntimeSettings.defaults(), lock);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        kind(
            "lock",
            (rt, n) -> {
              TrackedLock l = new TrackedLock(rt, n, false);
              return () -> {
                l.lock();
                l.unlock();
              };
            }),
        kind(
            "read lock",
            (rt, n) -> {
              TrackedReadWriteLock l = new TrackedReadWriteLock(rt, n, false);
              return () -> {
                l.readLock().lock();
                l.readLock().unlock();
              };
            }),
        kind(
            "write lock",
            (rt, n) -> {
              TrackedReadWriteLock l = new TrackedReadWriteLock(rt, n, false);
              return () -> {
                l.writeLock().lock();
                l.writeLock().unlock();
              };
            }),
        kind(
            "semaphore",
            (rt, n) -> {
              TrackedSemaphore s = new TrackedSemaphore(rt, n, 2, false);
              return () -> {
                s.acquire();
                if (s.tryAcquire()) {
                  s.release();
                }
                s.release();
              };
            }),
        kind(
            "latch",
            (rt, n) -> {
              TrackedCountDownLatch counting = new TrackedCountDownLatch(rt, n, Integer.MAX_VALUE);
              TrackedCountDownLatch open = new TrackedCountDownLatch(rt, n + "-open", 0);
              return () -> {
                counting.countDown();
                open.await();
              };
            }),
        kind(
            "once-cell",
            (rt, n) -> {
              OnceCell<String> cell = new OnceCell<>(rt, n);
              return () -> cell.getOrInit(() -> "v");
            }),
        kind(
            "notify",
            (rt, n) -> {
              Notify notify = new Notify(rt, n);
              return () -> {
                notify.notifyOne();
                notify.notified();
              };
            }),
        kind(
            "barrier of one",
            (rt, n) -> {
              TrackedCyclicBarrier b = new TrackedCyclicBarrier(rt, n, 1, null);
              return b::await;
            }),
        kind(
            "mpsc channel",
            (rt, n) -> {
              MpscChannel<Integer> c = Channels.on(rt).mpsc(n, 16);
              return () -> {
                c.sender().trySend(1);
                c.receiver().tryRecv();
              };
            }),
        kind(
            "watch channel",
            (rt, n) -> {
              WatchChannel<Integer> c = Channels.on(rt).watch(n, 0);
              return () -> {
                c.sender().send(1);
                c.receiver().borrowAndUpdate();
              };
            }),
        kind(
            "broadcast channel",
            (rt, n) -> {
              BroadcastChannel<Integer> c = Channels.on(rt).broadcast(n, 16);
              return () -> {
                c.sender().send(1);
                c.receiver().tryRecv();
              };
            }),
        kind(
            "oneshot channel (a life)",
            (rt, n) -> {
              ChannelFactory f = Channels.on(rt);
              return () -> {
                var c = f.<Integer>oneshot(n);
                c.sender().send(1);
                c.receiver().recv();
              };
            }),
        kind(
            "ArrayBlockingQueue",
            (rt, n) -> {
              TrackedArrayBlockingQueue<Integer> q =
                  new TrackedArrayBlockingQueue<>(rt, n, 16, false);
              return () -> {
                q.offer(1);
                q.poll();
                q.put(2);
                q.take();
              };
            }),
        kind(
            "LinkedBlockingQueue",
            (rt, n) -> {
              TrackedLinkedBlockingQueue<Integer> q = new TrackedLinkedBlockingQueue<>(rt, n, 16);
              return () -> {
                q.offer(1);
                q.poll();
              };
            }),
        kind(
            "LinkedBlockingDeque",
            (rt, n) -> {
              TrackedLinkedBlockingDeque<Integer> q = new TrackedLinkedBlockingDeque<>(rt, n, 16);
              return () -> {
                q.offerFirst(1);
                q.pollLast();
              };
            }),
        kind(
            "TrackedBlockingQueue",
            (rt, n) -> {
              TrackedBlockingQueue<Integer> q = new TrackedBlockingQueue<>(rt, n, 16);
              return () -> {
                q.offer(1);
                q.poll();
              };
            }),
        kind(
            "CompletableFuture (a life)",
            (rt, n) ->
                () -> {
                  TrackedCompletableFuture<Integer> f = new TrackedCompletableFuture<>(rt, n);
                  f.complete(1);
                  f.join();
                }));
  }

  private static Arguments kind(String name, Kind kind) {
    return Arguments.of(name, kind);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void uncontendedOperations_onSeveralThreads_neverTakeTheGraphLock(String name, Kind kind)
      throws Exception {
    String prefix = name.replace(' ', '-');
    Run run = runOnThreads(threadIndex -> kind.make(runtime, prefix + threadIndex));

    assertThat(run.taken())
        .as(
            "graph lock acquisitions in %,d uncontended operations of a %s, first at %s",
            THREADS * OPS, name, lock.where)
        .isZero();
    // Observed, the graph shows each thread's primitive; a primitive that lives one operation
    // (a future, a oneshot) left no trace.
    long made = run.seen().entities().stream().filter(e -> e.name().startsWith(prefix)).count();
    if (name.endsWith("(a life)")) {
      assertThat(made).isZero();
    } else {
      assertThat(made).isGreaterThanOrEqualTo(THREADS);
    }
    assertThat(runtime.faultCount()).isZero();
  }

  @Test
  void executorTasks_submittedAndDoneWithoutWaiting_neverTakeTheGraphLock() throws Exception {
    TrackedThreadPoolExecutor pool =
        new TrackedThreadPoolExecutor(
            runtime,
            "pool",
            2,
            2,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Executors.defaultThreadFactory(),
            new ThreadPoolExecutor.AbortPolicy());
    toClose.add(pool::shutdownNow);
    // The pool's threads count too: running and finishing a task must not take the lock either.
    pool.prestartAllCoreThreads();
    CountDownLatch marked = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(
          () -> {
            lock.counting.set(true);
            marked.countDown();
            try {
              marked.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    marked.await();
    // The marking tasks must have ended before anyone looks: an observation while one of them is
    // still finishing would bear its task scope, whose removal then takes the lock (counted, on a
    // pool thread that counts).
    // On this thread, not Awaitility's: a thread of the runtime ending meanwhile would have the
    // reaper look at the graph, and its polling delay would leave it the time to.
    while (pool.getCompletedTaskCount() < 2L) {
      Thread.onSpinWait();
    }
    Run run =
        runOnThreads(
            threadIndex ->
                () -> {
                  Future<Integer> f = pool.submit(() -> 1);
                  while (!f.isDone()) {
                    Thread.onSpinWait(); // the result, without a tracked wait on it
                  }
                  f.get();
                });

    assertThat(run.taken())
        .as("graph lock acquisitions by submitters and the pool's threads, first at %s", lock.where)
        .isZero();
    assertThat(pool.getCompletedTaskCount()).isEqualTo(2L + THREADS * (OPS + 1L));
    // Every task ran and ended between two looks: none is in the graph, none was ever journaled.
    assertThat(run.seen().entities().stream().filter(e -> e.kind() == EntityKind.FUTURE)).isEmpty();
    assertThat(runtime.journal())
        .noneMatch(
            c ->
                c.body() instanceof dev.moire.model.ChangeBody.UpsertEntity u
                    && u.entity().kind() == EntityKind.FUTURE);
  }

  /** A thread's own primitive, made from its index. */
  interface PerThread {
    Op make(int threadIndex) throws Exception;
  }

  /** How often the graph's lock was taken, and the graph seen once the operations were done. */
  record Run(long taken, Snapshot seen) {}

  /**
   * Runs {@value #OPS} operations of each thread's own primitive on {@value #THREADS} threads, all
   * at once; returns how often the graph's lock was taken meanwhile by them, and a snapshot cut
   * while the primitives are still in use.
   */
  private Run runOnThreads(PerThread perThread) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch ready = new CountDownLatch(THREADS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      List<Op> inUse = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int index = t;
        done.add(
            threads.submit(
                () -> {
                  Op op = perThread.make(index);
                  inUse.add(op);
                  op.run(); // the first use: the thread's entity, the polls edges
                  ready.countDown();
                  go.await();
                  lock.counting.set(true);
                  try {
                    for (int i = 0; i < OPS; i++) {
                      op.run();
                    }
                  } finally {
                    lock.counting.set(false);
                  }
                  return null;
                }));
      }
      ready.await();
      lock.acquisitions.set(0);
      lock.where.clear();
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      long taken = lock.acquisitions.get();
      Snapshot seen = runtime.snapshot();
      java.lang.ref.Reference.reachabilityFence(inUse); // no handle is cleaned before the snapshot
      return new Run(taken, seen);
    } finally {
      threads.shutdownNow();
    }
  }
}
