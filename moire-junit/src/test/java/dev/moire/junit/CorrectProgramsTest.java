package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.sync.Notify;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedLock;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Correct concurrent programs that wait longer than the grace period (20 ms here, against waits of
 * 200 ms and more): the watchdog must never fail them.
 */
@Timeout(60)
final class CorrectProgramsTest {
  @TempDir Path dir;

  /** A pool whose thread exists before the tracked tests begin. */
  static final java.util.concurrent.ExecutorService OLD_POOL =
      java.util.concurrent.Executors.newSingleThreadExecutor();

  /** Burns CPU for about {@code millis}, as real work would (no sleeping). */
  static long compute(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    return x;
  }

  @MoireTracked(grace = "20ms", watchdogInterval = "5ms")
  static final class ProgramsTestCase {
    @Test
    void aTransientCycleThroughATimedWait() throws Exception {
      TrackedLock left = new TrackedLock("left");
      TrackedLock right = new TrackedLock("right");
      CountDownLatch bothHold = new CountDownLatch(2);
      Thread polite =
          new Thread(
              () -> {
                left.lock();
                try {
                  bothHold.countDown();
                  MoireExtensionTest.awaitQuietly(bothHold);
                  if (right.tryLock(300, TimeUnit.MILLISECONDS)) { // gives up, then backs off
                    right.unlock();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  left.unlock();
                }
              },
              "polite");
      polite.start();
      right.lock();
      try {
        bothHold.countDown();
        bothHold.await();
        left.lock(); // waits until 'polite' backs off
        left.unlock();
      } finally {
        right.unlock();
      }
      polite.join();
    }

    @Test
    void aSlowProducer() throws Exception {
      MpscChannel<Integer> ch = Channels.mpsc("slow", 1);
      Thread producer =
          new Thread(
              () -> {
                try (var tx = ch.sender()) {
                  java.util.concurrent.BlockingQueue<Integer> upstream =
                      new java.util.concurrent.LinkedBlockingQueue<>();
                  for (int i = 0; i < 3; i++) {
                    // A slow upstream that answers nothing within 100 ms: the producer is slow,
                    // in a timed wait outside moire, while the consumer waits on it.
                    upstream.poll(100, TimeUnit.MILLISECONDS);
                    tx.send(i);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "slow-producer");
      producer.start();
      int n = 0;
      try (var rx = ch.receiver()) {
        for (Integer ignored : rx) {
          n++;
        }
      }
      assertThat(n).isEqualTo(3);
      producer.join();
    }

    @Test
    void aConsumerWaitsWhileItsProducerComputes() throws Exception {
      MpscChannel<Long> ch = Channels.mpsc("result", 1);
      Thread producer =
          new Thread(
              () -> {
                try (var tx = ch.sender()) {
                  tx.send(compute(300));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "computing-producer");
      producer.start();
      try (var rx = ch.receiver()) {
        assertThat(rx.recv()).isPresent();
      }
      producer.join();
    }

    @Test
    void theTestWaitsOnAPoolThreadThatExistedBefore() throws Exception {
      // Untracked, on a pool thread older than the test: only its CPU time shows it works.
      CompletableFuture<Long> f = CompletableFuture.supplyAsync(() -> compute(300), OLD_POOL);
      assertThat(f.get()).isNotNull();
    }

    @Test
    void aLatchCountedDownByAWorkerThatPolls() throws Exception {
      TrackedCountDownLatch done = new TrackedCountDownLatch("done", 1);
      MpscChannel<String> inbox = Channels.mpsc("inbox", 1);
      Thread worker =
          new Thread(
              () -> {
                try (var rx = inbox.receiver()) {
                  for (int i = 0; i < 5; i++) {
                    assertThat(rx.recv(java.time.Duration.ofMillis(60))).isEmpty(); // timed polls
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              },
              "poller");
      worker.start();
      done.await();
      inbox.sender().close();
      worker.join();
    }

    @Test
    void aPingPongOverNotify() throws Exception {
      Notify ping = new Notify("ping");
      Notify pong = new Notify("pong");
      AtomicLong rounds = new AtomicLong();
      Thread other =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 5; i++) {
                    ping.notified();
                    compute(40);
                    rounds.incrementAndGet();
                    pong.notifyOne();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "ponger");
      other.start();
      for (int i = 0; i < 5; i++) {
        ping.notifyOne();
        pong.notified();
      }
      other.join();
      assertThat(rounds).hasValue(5);
    }
  }

  @Test
  void correctPrograms_areNeverFailed_evenWithAGraceShorterThanTheirWaits() throws Exception {
    CompletableFuture.runAsync(() -> compute(1), OLD_POOL).get(); // its thread exists now
    Kit.run(dir, selectClass(ProgramsTestCase.class))
        .testEvents()
        .assertStatistics(s -> s.started(6).succeeded(6).failed(0));
    assertThat(dir.resolve("moire.db")).doesNotExist();
  }
}
