package dev.moire.runtime.contract;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;

/** Holds a lock on a thread of its own, from construction until closed. */
final class Holder implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);
  private final Thread thread;

  Holder(Lock lock) throws InterruptedException {
    CountDownLatch holds = new CountDownLatch(1);
    thread =
        new Thread(
            () -> {
              lock.lock();
              try {
                holds.countDown();
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                lock.unlock();
              }
            },
            "holder");
    thread.start();
    holds.await();
  }

  /** Lets go of the lock and waits for the holding thread to end. */
  @Override
  public void close() {
    release.countDown();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
