package com.example.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.junit.MoireTracked;
import dev.moire.runtime.DeadlockDetectedError;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** On the module path too, a deadlock between two inventories is found, with moire's message. */
class KnownBadOnTheModulePathTest {
  @MoireTracked
  static class TwoInventoriesDeadlock {
    @Test
    @Timeout(10)
    void restockBothWays() throws Exception {
      Inventory north = new Inventory();
      Inventory south = new Inventory();
      CountDownLatch both = new CountDownLatch(2);
      Thread a = new Thread(() -> north.whileLocked(() -> meet(both, () -> south.add("tea", 1))));
      Thread b = new Thread(() -> south.whileLocked(() -> meet(both, () -> north.add("tea", 1))));
      a.start();
      b.start();
      a.join();
      b.join();
    }

    private static void meet(CountDownLatch both, Runnable then) {
      both.countDown();
      try {
        both.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      then.run();
    }
  }

  @Test
  @Timeout(60)
  void aDeadlock_failsWithMoiresMessage() {
    List<Event> failed =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(TwoInventoriesDeadlock.class))
            .execute()
            .testEvents()
            .failed()
            .list();
    assertEquals(1, failed.size());
    Throwable t =
        failed.get(0).getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertTrue(t instanceof DeadlockDetectedError, () -> "not moire's verdict: " + t);
    assertTrue(t.getMessage().startsWith("moire found a deadlock"), t.getMessage());
  }
}
