package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
final class TrackedBlockingQueueTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));
  private final GraphProbe graph = new GraphProbe(runtime);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void producerConsumerCode_isTrackedByChangingOneConstructor() throws Exception {
    BlockingQueue<String> jobs = new TrackedBlockingQueue<>(runtime, "jobs", 2);
    EntityId tx = EntityId.of("mpsc:p1:jobs:tx");
    EntityId rx = EntityId.of("mpsc:p1:jobs:rx");
    Future<String> consumer = pool.submit(jobs::take);
    await().until(() -> graph.waitingOn(rx).isPresent());
    jobs.put("a");
    assertThat(consumer.get()).isEqualTo("a");
    assertThat(graph.waitingOn(rx)).isEmpty();

    jobs.put("b");
    jobs.put("c");
    Future<?> producer =
        pool.submit(
            () -> {
              jobs.put("d");
              return null;
            });
    await().until(() -> graph.waitingOn(tx).isPresent());
    assertThat(graph.waitingOn(tx).orElseThrow().timed()).isFalse();
    assertThat(jobs.poll(1, TimeUnit.SECONDS)).isEqualTo("b");
    producer.get();
    assertThat(graph.entity(tx).body())
        .isEqualTo(new EntityBody.MpscTx(2, OptionalInt.of(2), 2, 1, 4));
    List<String> rest = new ArrayList<>();
    jobs.drainTo(rest);
    assertThat(rest).containsExactly("c", "d");
    assertThat(graph.entity(rx).body()).isEqualTo(new EntityBody.MpscRx(4));
    assertThat(((EntityBody.MpscTx) graph.entity(tx).body()).queueLen()).isZero();
    assertThat(jobs.offer("e", 10, TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void badInput_isRefusedAsTheJdkDoes_withTheQueueNamed() {
    assertThatThrownBy(() -> new TrackedBlockingQueue<String>(runtime, "jobs", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity of queue 'jobs' must be positive: 0");
    BlockingQueue<String> q = new TrackedBlockingQueue<>(runtime, "jobs");
    assertThatThrownBy(() -> q.offer(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("element for queue 'jobs' must not be null");
  }
}
