package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.channel.TrackedLinkedBlockingQueue;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedCompletableFuture;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's explanations, word for word: each names every participant of its finding, tasks by
 * what they run and in what state, futures as futures, and every wait and hold at the story's own
 * line. One sentence that can be read aloud, then details.
 */
@Timeout(60)
final class ExplanationsTest {
  private static final String FILE = "src/test/java/dev/moire/junit/ExplanationsTest.java";

  @TempDir Path dir;

  /** A helper in the way a test's own utilities are: it makes the call, the story means it. */
  static void quietly(Waiting waiting) throws InterruptedException {
    waiting.await(); // helper-line
  }

  /** Something to wait for. */
  interface Waiting {
    void await() throws InterruptedException;
  }

  @MoireTracked
  static final class StoriesTestCase {
    @Test
    @Timeout(10)
    void twoReadersWantTheWriteLock() throws Exception {
      ReadWriteLock settings = new TrackedReadWriteLock("settings");
      CyclicBarrier bothRead = new CyclicBarrier(2);
      Runnable upgrade =
          () -> {
            settings.readLock().lock(); // readers-read
            try {
              bothRead.await();
              settings.writeLock().lock(); // readers-write
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      Thread a = new Thread(upgrade, "reader-a");
      Thread b = new Thread(upgrade, "reader-b");
      a.start();
      b.start();
      a.join();
      b.join();
    }

    @Test
    @Timeout(10)
    void threeWorkersOnTwoPermits() throws Exception {
      Semaphore connections = new TrackedSemaphore("connections", 2);
      CountDownLatch firstTaken = new TrackedCountDownLatch("firstTaken", 2);
      Thread[] workers = new Thread[3];
      for (int i = 0; i < 3; i++) {
        boolean late = i == 2;
        workers[i] =
            new Thread(
                () -> {
                  try {
                    if (late) {
                      firstTaken.await();
                      connections.acquire(); // workers-late
                      return;
                    }
                    connections.acquire(); // workers-first
                    firstTaken.countDown();
                    firstTaken.await();
                    connections.acquire(); // workers-second
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "worker-" + (i + 1));
        workers[i].start();
      }
      for (Thread w : workers) {
        w.join();
      }
    }

    @Test
    @Timeout(10)
    void aLockHeldWhileWaitingOnAChannel() throws Exception {
      Lock ledger = new TrackedLock("ledger");
      BlockingQueue<String> entries = new TrackedLinkedBlockingQueue<>("entries");
      CountDownLatch held = new CountDownLatch(1);
      Thread producer =
          new Thread(
              () -> {
                try {
                  held.await();
                } catch (InterruptedException e) {
                  return;
                }
                ledger.lock(); // channel-producer
                try {
                  entries.add("entry");
                } finally {
                  ledger.unlock();
                }
              },
              "producer");
      producer.start();
      ledger.lock(); // channel-hold
      try {
        held.countDown();
        entries.take(); // channel-take
      } finally {
        ledger.unlock();
      }
    }

    @Test
    @Timeout(10)
    void aTaskQueuedBehindASingleThreadPool() throws Exception {
      ExecutorService reports = // queued-pool
          new TrackedThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
      try {
        reports
            .submit( // queued-outer-submit
                () -> {
                  Future<String> chart = reports.submit(() -> "chart"); // queued-submit
                  return chart.get(); // queued-get
                })
            .get(); // queued-wait
      } finally {
        reports.shutdownNow();
      }
    }

    @Test
    @Timeout(10)
    void aJoinOnAnUnnamedThread() throws Exception {
      CountDownLatch never = new CountDownLatch(1); // plain: the worker is outside moire
      Thread worker =
          new Thread(
              () -> {
                try {
                  never.await(); // join-await
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      worker.start();
      worker.join(); // join-join
    }

    @Test
    @Timeout(10)
    void aWaitThroughAMethodReference() throws Exception {
      CountDownLatch warmedUp = new TrackedCountDownLatch("warmedUp", 1);
      quietly(warmedUp::await); // method-ref
    }

    @Test
    @Timeout(10)
    void aFutureNeverCompleted() throws Exception {
      TrackedCompletableFuture<Integer> price = // future-new
          new TrackedCompletableFuture<>("price");
      price.get(); // future-get
    }
  }

  /** The failure's message, with the time a stall had been quiet (which varies) as N. */
  private String explain(String method) {
    Throwable t = Kit.onlyFailure(Kit.run(dir, selectMethod(StoriesTestCase.class, method)));
    assertThat(t).isInstanceOf(DeadlockDetectedError.class);
    String message = t.getMessage();
    return message
        .substring(0, message.indexOf('\n'))
        .replaceAll("nothing has moved for \\d+ ms", "nothing has moved for N ms");
  }

  private static String at(String marker) {
    return "ExplanationsTest.java:" + Kit.lineOf(FILE, marker);
  }

  private static final String STALL =
      "moire found a stall: every thread of the test is blocked and nothing has moved for N ms: ";

  @Test
  void twoReadersWantingTheWriteLock_areBothNamed() {
    assertThat(explain("twoReadersWantTheWriteLock"))
        .isEqualTo(
            "moire found a deadlock: thread 'reader-a' waits on lock 'settings' ("
                + at("readers-write")
                + "), held by thread 'reader-a' and thread 'reader-b'; thread 'reader-b' waits on"
                + " lock 'settings' ("
                + at("readers-write")
                + ")");
  }

  @Test
  void threeWorkersOnTwoPermits_areAllNamed_withWhoHoldsWhat() {
    assertThat(explain("threeWorkersOnTwoPermits"))
        .isEqualTo(
            "moire found a deadlock: thread 'worker-1' waits on semaphore 'connections' ("
                + at("workers-second")
                + "), held by thread 'worker-1' and thread 'worker-2'; thread 'worker-2' waits on"
                + " semaphore 'connections' ("
                + at("workers-second")
                + "); and 1 more task waits on semaphore 'connections' ("
                + at("workers-late")
                + "): thread 'worker-3'");
  }

  @Test
  void aLockHeldWhileWaitingOnAChannel_namesItsHolder() {
    assertThat(explain("aLockHeldWhileWaitingOnAChannel"))
        .isEqualTo(
            STALL
                + "'main' WAITING waiting on receiver of channel 'entries' ("
                + at("channel-take")
                + "), holding lock 'ledger'; 'producer' WAITING waiting on lock 'ledger' ("
                + at("channel-producer")
                + "), held by task 'aLockHeldWhileWaitingOnAChannel()' on 'main'");
  }

  @Test
  void aTaskQueuedBehindASingleThreadPool_isNamedAsQueued_withItsExecutor() {
    String executor = "task of executor '" + at("queued-pool") + "' submitted at ";
    String message = explain("aTaskQueuedBehindASingleThreadPool");
    String worker = message.substring(message.indexOf("running on '") + 12);
    worker = worker.substring(0, worker.indexOf('\''));
    assertThat(worker).startsWith("pool-").endsWith("-thread-1");
    assertThat(message)
        .isEqualTo(
            STALL
                + "'main' WAITING waiting on "
                + executor
                + at("queued-outer-submit")
                + " ("
                + at("queued-wait")
                + "), running on '"
                + worker
                + "'; '"
                + worker
                + "' (running "
                + executor
                + at("queued-outer-submit")
                + ") WAITING waiting on "
                + executor
                + at("queued-submit")
                + " ("
                + at("queued-get")
                + "), queued and not started: the executor has no free thread ('"
                + worker
                + "' is busy)");
  }

  @Test
  void aJoinOnAnUnnamedThread_namesTheThread() {
    String message = explain("aJoinOnAnUnnamedThread");
    String thread = message.substring(message.indexOf("waiting for thread '") + 20);
    thread = thread.substring(0, thread.indexOf('\''));
    assertThat(thread).startsWith("Thread-");
    assertThat(message)
        .startsWith(
            STALL
                + "'main' WAITING waiting for thread '"
                + thread
                + "' to end ("
                + at("join-join")
                + "); '"
                + thread
                + "' WAITING outside moire on java.util.concurrent.CountDownLatch$Sync@")
        .endsWith(" in CountDownLatch.await (" + at("join-await") + ")");
  }

  @Test
  void aWaitThroughAMethodReference_isPlacedAtTheStorysLine() {
    assertThat(explain("aWaitThroughAMethodReference"))
        .isEqualTo(
            STALL
                + "'main' WAITING waiting on latch 'warmedUp' ("
                + at("method-ref")
                + "), 1 count to come");
  }

  @Test
  void aFutureNeverCompleted_isCalledAFuture_andNoLostSender() {
    assertThat(explain("aFutureNeverCompleted"))
        .isEqualTo(
            STALL
                + "'main' WAITING waiting on future 'price' ("
                + at("future-get")
                + "), created at "
                + at("future-new"));
  }
}
