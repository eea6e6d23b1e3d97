package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityKind;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queues that are JDK queues: a field of the JDK type takes them, and they are tracked like
 * {@link TrackedBlockingQueue}: counts, a consumer's wait on an empty queue, a producer's on a full
 * one.
 */
@Timeout(30)
final class JdkQueueSubclassTest {
  private final MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());

  @Test
  void fieldsOfTheJdkTypes_holdThem_namedAfterTheirLine() {
    ArrayBlockingQueue<String> array = new TrackedArrayBlockingQueue<>(4);
    LinkedBlockingQueue<String> linked = new TrackedLinkedBlockingQueue<>();
    assertThat(((TrackedArrayBlockingQueue<String>) array).name())
        .startsWith("JdkQueueSubclassTest.java:");
    assertThat(((TrackedLinkedBlockingQueue<String>) linked).name())
        .startsWith("JdkQueueSubclassTest.java:");
    assertThat(array.remainingCapacity()).isEqualTo(4);
    assertThat(linked.remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void sendsReceivesAndWaits_areInTheGraph() throws Exception {
    for (BlockingQueue<String> q :
        List.<BlockingQueue<String>>of(
            new TrackedArrayBlockingQueue<>(runtime, "jobs-a", 1, false),
            new TrackedLinkedBlockingQueue<>(runtime, "jobs-l", 1))) {
      String name =
          q instanceof TrackedArrayBlockingQueue<?> a
              ? a.name()
              : ((TrackedLinkedBlockingQueue<?>) q).name();
      q.put("first");
      Thread producer =
          new Thread(
              () -> {
                try {
                  q.put("second"); // full: waits
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "producer");
      producer.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasWait(runtime.snapshot(List.of(producer)), name));
      assertThat(q.take()).isEqualTo("first");
      producer.join();
      assertThat(q.take()).isEqualTo("second");
      Snapshot s = runtime.snapshot();
      Entity tx =
          s.entitiesNamed(name).stream()
              .filter(e -> e.kind() == EntityKind.MPSC_TX)
              .findFirst()
              .orElseThrow();
      assertThat(((EntityBody.MpscTx) tx.body()).sentTotal()).isEqualTo(2);
      assertThat(((EntityBody.MpscTx) tx.body()).queueLen()).isZero();
    }
  }

  /** Whether a task waits on the sending end of the queue named {@code name}. */
  private static boolean hasWait(Snapshot s, String name) {
    return s.edgesOfKind(EdgeKind.WAITING_ON).stream()
        .anyMatch(
            e ->
                s.entity(e.dst())
                    .map(x -> x.name().equals(name) && x.kind() == EntityKind.MPSC_TX)
                    .orElse(false));
  }
}
