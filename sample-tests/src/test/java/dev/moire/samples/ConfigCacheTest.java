package dev.moire.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.junit.MoireTracked;
import dev.moire.runtime.sync.OnceCell;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Eight request handlers race to read a configuration that must be loaded exactly once. */
@MoireTracked
@Timeout(30)
final class ConfigCacheTest {
  static final class ConfigCache {
    private final OnceCell<Map<String, String>> cell = new OnceCell<>("config");
    final AtomicInteger loads = new AtomicInteger();

    Map<String, String> get() throws InterruptedException {
      return cell.getOrInit(
          () -> {
            loads.incrementAndGet();
            return Map.of("region", "eu-west-1", "timeout", "30s");
          });
    }
  }

  @Test
  void manyReaders_oneLoad() throws Exception {
    ConfigCache cache = new ConfigCache();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService handlers = Executors.newFixedThreadPool(8);
    try {
      Future<?>[] done = new Future<?>[8];
      for (int i = 0; i < 8; i++) {
        done[i] =
            handlers.submit(
                () -> {
                  start.await();
                  assertThat(cache.get()).containsEntry("region", "eu-west-1");
                  return null;
                });
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(cache.loads).hasValue(1);
    } finally {
      start.countDown();
      handlers.shutdown();
    }
  }
}
