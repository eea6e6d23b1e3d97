package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.Snapshot;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.OneshotChannel;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.sync.Notify;
import dev.moire.runtime.sync.OnceCell;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedCompletableFuture;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18: with lazy holds, counted runs and unborn tasks, the journal still replays to exactly
 * the live graph. Eight threads make 10,000 random operations each on every kind of primitive
 * (shared ones, so some operations wait, and their own), while an observer cuts snapshots all
 * along; at the end the journal has no gap, replays to the live snapshot, and the channel events
 * count every message exactly once, in order of time per end.
 */
@Timeout(180)
final class PrimitivesJournalReplayTest {
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 10_000;
  private static final Duration BRIEF = Duration.ofMillis(1);

  private final RuntimeSettings settings =
      RuntimeSettings.defaults().withJournalCapacity(1 << 22).withEventCapacity(1 << 20);
  private final MoireRuntime runtime = MoireRuntime.create(settings);

  /** What every thread shares. */
  private final TrackedLock lock = new TrackedLock(runtime, "lock", false);

  private final TrackedReadWriteLock rw = new TrackedReadWriteLock(runtime, "rw", false);
  private final TrackedSemaphore semaphore = new TrackedSemaphore(runtime, "permits", 3, false);
  private final TrackedCountDownLatch latch =
      new TrackedCountDownLatch(runtime, "latch", Integer.MAX_VALUE);
  private final OnceCell<String> cell = new OnceCell<>(runtime, "cell");
  private final Notify notify = new Notify(runtime, "notify");
  private final MpscChannel<Integer> channel = Channels.on(runtime).mpsc("channel", 8);
  private final TrackedArrayBlockingQueue<Integer> queue =
      new TrackedArrayBlockingQueue<>(runtime, "queue", 8, false);
  private final TrackedThreadPoolExecutor pool =
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

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong polled = new AtomicLong();

  @Test
  void randomOperationsOnEveryPrimitive_replayToTheLiveGraph_countingEveryMessageOnce()
      throws Exception {
    AtomicBoolean observing = new AtomicBoolean(true);
    Thread observer =
        new Thread(
            () -> {
              while (observing.get()) {
                runtime.snapshot();
                Thread.onSpinWait();
              }
            },
            "observer");
    observer.start();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 4242L * (t + 1);
      done.add(
          threads.submit(
              () -> {
                go.await();
                return workload(new Random(seed));
              }));
    }
    go.countDown();
    int ops = 0;
    for (Future<Integer> f : done) {
      ops += f.get();
    }
    observing.set(false);
    observer.join(10_000);
    threads.shutdown();
    assertThat(ops).isEqualTo(THREADS * OPS_PER_THREAD);
    // Drain what is left, so the channels' totals are final.
    while (channel.receiver().tryRecv().isPresent()) {
      received.incrementAndGet();
    }
    while (queue.poll() != null) {
      polled.incrementAndGet();
    }

    List<Change> journal = Journals.assertReplaysToTheLiveGraph(runtime);
    Snapshot live = runtime.snapshot();

    assertThat(messages(journal, channel.sender().id(), true)).isEqualTo(sent.get());
    assertThat(messages(journal, channel.receiver().id(), false)).isEqualTo(received.get());
    EntityId queueTx = endOf(live, "queue", "mpsc_tx");
    EntityId queueRx = endOf(live, "queue", "mpsc_rx");
    assertThat(messages(journal, queueTx, true)).isEqualTo(offered.get());
    assertThat(messages(journal, queueRx, false)).isEqualTo(polled.get());
    assertThat(sent.get()).isPositive();
    assertThat(offered.get()).isPositive();
    pool.shutdownNow();
  }

  private static EntityId endOf(Snapshot s, String name, String kind) {
    return s.entities().stream()
        .filter(e -> e.name().equals(name) && e.kind().wireName().equals(kind))
        .findFirst()
        .orElseThrow()
        .id();
  }

  /**
   * The messages the journal's events about {@code end} count, checking that each end's events come
   * in order of time.
   */
  private static long messages(List<Change> journal, EntityId end, boolean sends) {
    long total = 0;
    long lastAt = -1;
    for (Change c : journal) {
      if (c.body() instanceof ChangeBody.AppendEvent a
          && a.event().target().id().equals(end.value())) {
        EventBody b = a.event().body();
        long n =
            sends ? ((EventBody.ChannelSent) b).count() : ((EventBody.ChannelReceived) b).count();
        total += n;
        assertThat(a.event().at().nanos())
            .as("events of %s in time order", end)
            .isGreaterThanOrEqualTo(lastAt);
        lastAt = a.event().at().nanos();
      }
    }
    return total;
  }

  private int workload(Random random) throws Exception {
    Map<String, Integer> done = new HashMap<>();
    TrackedLock own = new TrackedLock(runtime, "own", false);
    TrackedSemaphore ownPermits = new TrackedSemaphore(runtime, "own-permits", 2, false);
    for (int i = 0; i < OPS_PER_THREAD; i++) {
      int op = random.nextInt(15);
      switch (op) {
        case 0 -> {
          lock.lock();
          lock.unlock();
        }
        case 1 -> {
          own.lock();
          own.unlock();
        }
        case 2 -> {
          if (random.nextBoolean()) {
            rw.readLock().lock();
            rw.readLock().unlock();
          } else if (rw.writeLock().tryLock(1, TimeUnit.MILLISECONDS)) {
            rw.writeLock().unlock();
          }
        }
        case 3 -> {
          if (semaphore.tryAcquire(1, TimeUnit.MILLISECONDS)) {
            semaphore.release();
          }
        }
        case 4 -> {
          ownPermits.acquire();
          ownPermits.release();
        }
        case 5 -> {
          latch.countDown();
          latch.await(0, TimeUnit.MILLISECONDS);
        }
        case 6 -> cell.getOrInit(() -> "value");
        case 7 -> {
          if (random.nextBoolean()) {
            notify.notifyOne();
          } else {
            notify.notified(BRIEF);
          }
        }
        case 8 -> {
          if (channel.sender().send(i, BRIEF)) {
            sent.incrementAndGet();
          }
        }
        case 9 -> {
          if (channel.receiver().recv(BRIEF).isPresent()) {
            received.incrementAndGet();
          }
        }
        case 10 -> {
          if (queue.offer(i, 1, TimeUnit.MILLISECONDS)) {
            offered.incrementAndGet();
          }
        }
        case 11 -> {
          if (queue.poll(1, TimeUnit.MILLISECONDS) != null) {
            polled.incrementAndGet();
          }
        }
        case 12 -> {
          TrackedCompletableFuture<Integer> f = new TrackedCompletableFuture<>(runtime, "future");
          if (random.nextBoolean()) {
            pool.execute(() -> f.complete(1));
          } else {
            f.complete(1);
          }
          f.join();
        }
        case 13 -> pool.submit(() -> 1).get();
        default -> {
          OneshotChannel<Integer> o = Channels.on(runtime).oneshot("reply");
          o.sender().send(1);
          o.receiver().recv();
        }
      }
      done.merge("op" + op, 1, Integer::sum);
    }
    return done.values().stream().mapToInt(Integer::intValue).sum();
  }
}
