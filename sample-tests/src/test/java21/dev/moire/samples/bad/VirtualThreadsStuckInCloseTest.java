package dev.moire.samples.bad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.junit.MoireTracked;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A plain {@code ReentrantLock} inversion among virtual threads, inside a try-with-resources
 * executor whose {@code close()} waits for them forever, a day at a time, and swallows interrupts:
 * the test still ends a second after its JUnit timeout, names the threads it leaves behind, and the
 * next test runs. (Until moire reads virtual threads from the JVM's thread dump, it sees no verdict
 * here: the waiting thread is in a timed wait.)
 */
@Timeout(60)
final class VirtualThreadsStuckInCloseTest {
  @TempDir Path dir;

  @MoireTracked
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static final class StuckInCloseTestCase {
    @Test
    @Order(1)
    @Timeout(2)
    void transfersOnVirtualThreads() {
      ReentrantLock alice = new ReentrantLock();
      ReentrantLock bob = new ReentrantLock();
      CountDownLatch bothHold = new CountDownLatch(2);
      try (ExecutorService transfers = Executors.newVirtualThreadPerTaskExecutor()) {
        transfers.submit(() -> transfer(alice, bob, bothHold));
        transfers.submit(() -> transfer(bob, alice, bothHold));
      } // close() waits for both, forever
    }

    private static Object transfer(ReentrantLock from, ReentrantLock to, CountDownLatch bothHold)
        throws InterruptedException {
      from.lock();
      try {
        bothHold.countDown();
        bothHold.await();
        to.lock();
        to.unlock();
      } finally {
        from.unlock();
      }
      return null;
    }

    @Test
    @Order(2)
    void theNextTestRuns() {}
  }

  @Test
  void virtualThreadsStuckInReentrantLock_doNotKeepTheTestFromEnding() {
    Instant start = Instant.now();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .selectors(selectClass(StuckInCloseTestCase.class))
            .execute();
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
    Throwable failure =
        results
            .testEvents()
            .failed()
            .list()
            .get(0)
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(failure.getSuppressed())
        .anySatisfy(
            s ->
                assertThat(s.getMessage())
                    .contains("were left behind")
                    .contains("StuckInCloseTestCase.transfersOnVirtualThreads"));
  }
}
