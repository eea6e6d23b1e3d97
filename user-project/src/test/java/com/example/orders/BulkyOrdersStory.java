package com.example.orders;

import dev.moire.junit.MoireTracked;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Known bad: two bulky orders starve the two pickers of a plain Semaphore (see Pickers). */
@MoireTracked
class BulkyOrdersStory {
  @Test
  @Timeout(10)
  void twoBulkyOrdersAtOnce() throws Exception {
    Pickers pickers = new Pickers(2);
    CountDownLatch bothHaveOne = new CountDownLatch(2);
    Runnable between =
        () -> {
          bothHaveOne.countDown();
          try {
            bothHaveOne.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread a = new Thread(() -> pick(pickers, between), "bulky-1");
    Thread b = new Thread(() -> pick(pickers, between), "bulky-2");
    a.start();
    b.start();
    a.join();
    b.join();
  }

  private static void pick(Pickers pickers, Runnable between) {
    try {
      pickers.pickBulky(between);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
