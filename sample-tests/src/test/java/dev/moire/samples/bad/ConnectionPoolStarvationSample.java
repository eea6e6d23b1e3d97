package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.sync.TrackedSemaphore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story =
        "a pool of two connections: two jobs each take one, then each asks for a second one to"
            + " copy data, and neither gives its first back")
@MoireTracked
@Timeout(10)
final class ConnectionPoolStarvationSample {
  @Test
  void twoJobsTwoConnectionsEach() throws Exception {
    Semaphore connections = new TrackedSemaphore("connections", 2); // was: new Semaphore(2)
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
