package com.example.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moire.junit.MoireGraph;
import dev.moire.junit.MoireTracked;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The production class's tracked lock, seen from a tracked test. */
@MoireTracked
class InventoryTest {
  @Test
  @Timeout(30)
  void concurrentAddsAndTakes_keepTheCount(MoireGraph graph) throws Exception {
    Inventory inventory = new Inventory();
    CountDownLatch start = new CountDownLatch(1);
    Thread adder =
        new Thread(
            () -> {
              awaitQuietly(start);
              for (int i = 0; i < 1000; i++) {
                inventory.add("tea", 2);
              }
            });
    Thread taker =
        new Thread(
            () -> {
              awaitQuietly(start);
              int taken = 0;
              while (taken < 1000) {
                if (inventory.take("tea", 1)) {
                  taken++;
                }
              }
            });
    adder.start();
    taker.start();
    start.countDown();
    adder.join();
    taker.join();
    assertEquals(1000, inventory.count("tea"));
    assertTrue(graph.entity("inventory").isPresent(), "the lock is in the test's graph");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
