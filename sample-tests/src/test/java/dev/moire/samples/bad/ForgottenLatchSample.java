package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "three warm-up workers should count a latch down, but the one that finds nothing to warm"
            + " returns early and never does")
@MoireTracked
@Timeout(10)
final class ForgottenLatchSample {
  @Test
  void warmUpThenServe() throws Exception {
    List<List<String>> shards = List.of(List.of("a", "b"), List.of(), List.of("c"));
    // A plain CountDownLatch: the drop-in is one.
    CountDownLatch warmedUp = new TrackedCountDownLatch("warmed-up", shards.size());
    for (int i = 0; i < shards.size(); i++) {
      List<String> shard = shards.get(i);
      new Thread(
              () -> {
                if (shard.isEmpty()) {
                  return; // the bug: an early return that skips countDown()
                }
                shard.forEach(String::length);
                warmedUp.countDown();
              },
              "warm-up-" + i)
          .start();
    }
    warmedUp.await();
  }
}
