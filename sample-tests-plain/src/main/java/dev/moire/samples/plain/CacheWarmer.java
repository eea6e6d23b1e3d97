package dev.moire.samples.plain;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Warms a cache shard by shard, on a thread per shard, before it serves. */
public final class CacheWarmer {
  private final List<List<String>> shards;
  private final CountDownLatch warmedUp;

  /** A warmer for these shards. */
  public CacheWarmer(List<List<String>> shards) {
    this.shards = List.copyOf(shards);
    this.warmedUp = new CountDownLatch(shards.size());
  }

  /** Starts one warm-up thread per shard. */
  public void start() {
    for (int i = 0; i < shards.size(); i++) {
      List<String> shard = shards.get(i);
      new Thread(() -> warm(shard), "warm-up-" + i).start();
    }
  }

  private void warm(List<String> shard) {
    if (shard.isEmpty()) {
      return; // the bug: an early return that skips countDown()
    }
    shard.forEach(String::length);
    warmedUp.countDown();
  }

  /** Waits until every shard is warm. */
  public void awaitWarm() throws InterruptedException {
    warmedUp.await();
  }
}
