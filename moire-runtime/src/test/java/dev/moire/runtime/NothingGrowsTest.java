package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.runtime.internal.Graph;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A long-running program through tracked types leaves nothing behind per operation: a task per
 * submission opens and removes a scope each, and neither the scopes nor their names stay counted.
 */
final class NothingGrowsTest {
  private static final int TASKS = 5_000;

  @Test
  @Timeout(60)
  void tasksThroughATrackedPool_leaveNoScopeNorNameBehind() throws Exception {
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults().withProcessName("grows"));
    Graph graph = runtime.graph();
    TrackedThreadPoolExecutor pool =
        new TrackedThreadPoolExecutor(
            runtime,
            "workers",
            2,
            2,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            java.util.concurrent.Executors.defaultThreadFactory(),
            new ThreadPoolExecutor.AbortPolicy());
    try {
      pool.submit(() -> 0).get(); // the pool's own first entities and names
      int scopes = graph.liveScopeCount();
      int names = graph.countedNames();
      for (int i = 0; i < TASKS; i++) {
        Future<Integer> f = pool.submit(() -> 1);
        f.get();
        if (i % 1000 == 0) {
          runtime.snapshot(); // observations give some of them birth, as a watchdog does
        }
      }
      // Every task has ended (each get() returned after its run; its scope closes as it ends).
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(graph.liveScopeCount()).isLessThanOrEqualTo(scopes);
      assertThat(graph.countedNames()).isLessThan(names + 10);
    } finally {
      pool.shutdownNow();
    }
  }
}
