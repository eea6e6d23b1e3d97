package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.moire.runtime.DeadlockDetectedError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Detection does not get weaker under the verdict rule: hangs written with plain JDK types, in
 * which every thread that could act is stuck, are still failed within a second at default settings
 * (a monitor ring as a deadlock, since the JVM names each monitor's owner; the others as stalls).
 */
@Timeout(60)
final class PlainJdkHangsTest {
  @TempDir Path dir;

  @MoireTracked
  static final class HangsTestCase {
    @Test
    @Timeout(20)
    void threeThreadMonitorInversion() throws Exception {
      Object[] accounts = {new Object(), new Object(), new Object()};
      CountDownLatch allHold = new CountDownLatch(3);
      Thread[] threads = new Thread[3];
      for (int i = 0; i < 3; i++) {
        Object mine = accounts[i];
        Object next = accounts[(i + 1) % 3];
        threads[i] =
            new Thread(
                () -> {
                  synchronized (mine) {
                    allHold.countDown();
                    MoireExtensionTest.awaitQuietly(allHold);
                    synchronized (next) {
                      next.notifyAll();
                    }
                  }
                },
                "transfer-" + (i + 1));
        threads[i].setDaemon(true);
        threads[i].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }

    @Test
    @Timeout(20)
    void waitWithNoNotifierLeft() throws Exception {
      Object mailbox = new Object();
      synchronized (mailbox) {
        mailbox.wait(); // nobody will notify
      }
    }

    @Test
    @Timeout(20)
    void consumerHoldsTheMonitorItsProducerNeeds() throws Exception {
      Object registry = new Object();
      BlockingQueue<String> queue = new LinkedBlockingQueue<>();
      CountDownLatch consumerHolds = new CountDownLatch(1);
      Thread producer =
          new Thread(
              () -> {
                MoireExtensionTest.awaitQuietly(consumerHolds);
                synchronized (registry) { // blocked: the consumer holds it
                  queue.add("job");
                }
              },
              "producer");
      producer.setDaemon(true);
      producer.start();
      synchronized (registry) {
        consumerHolds.countDown();
        queue.take(); // waits for the producer, which waits for this monitor
      }
    }
  }

  private static final String STALL = "moire found a stall: every thread of the test is blocked";

  private void assertFailsFast(String method, String headline) {
    EngineExecutionResults results = Kit.run(dir, selectMethod(HangsTestCase.class, method));
    assertThat(Kit.onlyFailure(results))
        .isInstanceOf(DeadlockDetectedError.class)
        .hasMessageStartingWith(headline);
    // The verdict comes within a second; entering a monitor cannot be interrupted, so such a
    // body is left behind one second later still; the JVM's first store loads SQLite (a second).
    // Loose bounds, as on a loaded CI machine.
    assertThat(Kit.durationOf(results, method)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aMonitorInversionAmongThreeThreads_failsFast() {
    // The JVM names each monitor's owner: a cycle, not just a stall.
    assertFailsFast("threeThreadMonitorInversion", "moire found a deadlock: thread 'transfer-");
  }

  @Test
  void aWaitWithNoNotifierLeft_failsFast() {
    assertFailsFast("waitWithNoNotifierLeft", STALL);
  }

  @Test
  void aConsumerHoldingTheMonitorItsProducerNeeds_failsFast() {
    assertFailsFast("consumerHoldsTheMonitorItsProducerNeeds", STALL);
  }
}
