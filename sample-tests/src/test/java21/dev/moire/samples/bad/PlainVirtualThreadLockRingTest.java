package dev.moire.samples.bad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.junit.MoireTracked;
import dev.moire.runtime.DeadlockDetectedError;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A plain {@code ReentrantLock} ring among virtual threads, joined by the test: the JDK's carrier
 * threads, started lazily during the test, are its machinery, not its threads, so the stall is
 * found fast, and the JVM's thread dump places each virtual thread at its {@code lock()}. (A stall,
 * not a cycle: JDK 25's dump does not name a {@code ReentrantLock}'s owner.)
 */
@Timeout(60)
final class PlainVirtualThreadLockRingTest {
  @TempDir Path dir;

  @MoireTracked
  static final class RingTestCase {
    @Test
    @Timeout(30)
    void threeTransfersInARing() throws Exception {
      ReentrantLock[] accounts = {new ReentrantLock(), new ReentrantLock(), new ReentrantLock()};
      CountDownLatch allHold = new CountDownLatch(3);
      Thread[] transfers = new Thread[3];
      for (int i = 0; i < 3; i++) {
        ReentrantLock mine = accounts[i];
        ReentrantLock next = accounts[(i + 1) % 3];
        transfers[i] =
            Thread.ofVirtual()
                .name("transfer-" + (i + 1))
                .start(
                    () -> {
                      mine.lock();
                      try {
                        allHold.countDown();
                        allHold.await();
                        next.lock();
                        next.unlock();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      } finally {
                        mine.unlock();
                      }
                    });
      }
      for (Thread t : transfers) {
        t.join();
      }
    }
  }

  @Test
  void aReentrantLockRingAmongVirtualThreads_failsFast() {
    Instant start = Instant.now();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .selectors(selectClass(RingTestCase.class))
            .execute();
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    Throwable failure =
        results
            .testEvents()
            .failed()
            .list()
            .get(0)
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertThat(failure)
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageStartingWith("moire found a stall: every thread of the test is blocked")
        .hasMessageContaining("'transfer-1' WAITING waiting on ReentrantLock@")
        .hasMessageContaining("'transfer-2' WAITING waiting on ReentrantLock@")
        .hasMessageContaining("'transfer-3' WAITING waiting on ReentrantLock@");
  }
}
