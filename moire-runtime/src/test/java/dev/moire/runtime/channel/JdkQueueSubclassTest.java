package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.concurrent.LinkedBlockingDeque;
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
    LinkedBlockingDeque<String> deque = new TrackedLinkedBlockingDeque<>(3);
    assertThat(((TrackedLinkedBlockingDeque<String>) deque).name())
        .startsWith("JdkQueueSubclassTest.java:");
    assertThat(deque.remainingCapacity()).isEqualTo(3);
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
            new TrackedLinkedBlockingQueue<>(runtime, "jobs-l", 1),
            new TrackedLinkedBlockingDeque<>(runtime, "jobs-d", 1))) {
      String name =
          q instanceof TrackedArrayBlockingQueue<?> a
              ? a.name()
              : q instanceof TrackedLinkedBlockingQueue<?> l
                  ? l.name()
                  : ((TrackedLinkedBlockingDeque<?>) q).name();
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

  @Test
  void aDeque_countsEveryEnd_andBothWaysOfAddAll() throws Exception {
    TrackedLinkedBlockingDeque<String> d = new TrackedLinkedBlockingDeque<>(runtime, "work", 4);
    d.putFirst("a");
    d.offerLast("b");
    d.push("c");
    d.addAll(List.of("x")); // fits: the JDK appends it at once
    assertThat(d.takeLast()).isEqualTo("x");
    assertThat(d.pollFirst()).isEqualTo("c");
    d.addAll(List.of("p", "q")); // fits
    assertThatThrownBy(() -> d.addAll(List.of("r", "s", "t")))
        .as("does not fit: the JDK adds one by one until full")
        .isInstanceOf(IllegalStateException.class);
    assertThat(d).containsExactly("a", "b", "p", "q");
    d.removeLastOccurrence("q");
    d.drainTo(new java.util.ArrayList<>());
    Snapshot s = runtime.snapshot();
    EntityBody.MpscTx tx = body(s, "work", EntityBody.MpscTx.class);
    EntityBody.MpscRx rx = body(s, "work", EntityBody.MpscRx.class);
    assertThat(tx.sentTotal()).as("a, b, c, x, p, q").isEqualTo(6);
    assertThat(rx.recvTotal()).as("x, c, then a, b and p drained").isEqualTo(5);
    assertThat(tx.queueLen()).isZero();
    assertThat(tx.highWatermark()).isEqualTo(4);
  }

  private static <B extends EntityBody> B body(Snapshot s, String name, Class<B> type) {
    return s.entitiesNamed(name).stream()
        .map(Entity::body)
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElseThrow();
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
