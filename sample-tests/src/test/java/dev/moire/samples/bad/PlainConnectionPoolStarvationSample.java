package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The twin of {@link ConnectionPoolStarvationSample} in plain JDK code: a {@code Semaphore}. The
 * JVM does not know who holds a permit, so this is a stall that places each job at its second
 * {@code acquire()}.
 */
@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "two copy jobs each take one of two pooled connections, then wait for a second (plain"
            + " JDK)")
@MoireTracked
@Timeout(10)
final class PlainConnectionPoolStarvationSample {
  @Test
  void copyTwoTablesAtOnce() throws Exception {
    Semaphore connections = new Semaphore(2);
    CountDownLatch bothHaveOne = new CountDownLatch(2);
    Runnable job =
        () -> {
          try {
            connections.acquire(); // the source connection
            try {
              bothHaveOne.countDown();
              bothHaveOne.await();
              connections.acquire(); // the target connection: none is left
              connections.release();
            } finally {
              connections.release();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread a = new Thread(job, "copy-job-a");
    Thread b = new Thread(job, "copy-job-b");
    a.start();
    b.start();
    a.join();
    b.join();
  }
}
