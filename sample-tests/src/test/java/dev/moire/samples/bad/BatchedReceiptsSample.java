package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.task.TrackedCompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "a checkout worker completes receipts two at a time, while the client waits for each"
            + " receipt before it sends the next order")
@MoireTracked
@Timeout(10)
final class BatchedReceiptsSample {
  record Order(String item, CompletableFuture<String> receipt) {}

  /** The JDK types, holding the drop-ins: each was a plain JDK constructor. */
  static final class Checkout {
    final ArrayBlockingQueue<Order> orders = new TrackedArrayBlockingQueue<>("orders", 8);

    void work() {
      List<Order> batch = new ArrayList<>();
      try {
        while (true) {
          batch.add(orders.take()); // waits for the second order of the batch
          if (batch.size() == 2) {
            batch.forEach(o -> o.receipt().complete("receipt for " + o.item()));
            batch.clear();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    CompletableFuture<String> order(String item) throws InterruptedException {
      CompletableFuture<String> receipt = new TrackedCompletableFuture<>("receipt " + item);
      orders.put(new Order(item, receipt));
      return receipt;
    }
  }

  @Test
  void ordersOneAtATime() throws Exception {
    Checkout checkout = new Checkout();
    Thread worker = new Thread(checkout::work, "checkout-worker");
    worker.setDaemon(true);
    worker.start();
    for (String item : List.of("tea", "cake")) {
      checkout.order(item).join(); // the bug: the worker completes receipts in pairs
    }
  }
}
