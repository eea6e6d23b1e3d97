package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.Snapshot;
import dev.moire.runtime.sync.TrackedCyclicBarrier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link CyclicBarrier} contract against the JDK's class and {@link TrackedCyclicBarrier},
 * tracking on and off: tripping and arrival indices, the barrier action, breakage by a timeout (≤ 0
 * included), an interrupt or a failing action, {@code reset}, and the barrier in the graph.
 */
@Timeout(30)
final class CyclicBarrierContractTest {
  /** Makes a barrier for the given parties and action. */
  interface Maker {
    CyclicBarrier make(int parties, @Nullable Runnable action);
  }

  static Stream<Arguments> barriers() {
    return Stream.of(
        Arguments.of(Named.<Maker>of("JDK CyclicBarrier", CyclicBarrier::new)),
        Arguments.of(
            Named.<Maker>of(
                "TrackedCyclicBarrier, tracking on",
                (n, a) -> new TrackedCyclicBarrier(Runtimes.ON, "b", n, a))),
        Arguments.of(
            Named.<Maker>of(
                "TrackedCyclicBarrier, tracking off",
                (n, a) -> new TrackedCyclicBarrier(Runtimes.OFF, "b", n, a))));
  }

  /** Starts a party that awaits the barrier, keeping what it returns or throws. */
  private static Thread party(CyclicBarrier b, AtomicReference<Object> outcome) {
    Thread t =
        new Thread(
            () -> {
              try {
                outcome.set(b.await());
              } catch (InterruptedException | BrokenBarrierException e) {
                outcome.set(e);
              }
            });
    t.start();
    return t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("barriers")
  void trips_whenAllPartiesArrive_runningTheActionOnce(Maker make) throws Exception {
    assertThatThrownBy(() -> make.make(0, null)).isInstanceOf(IllegalArgumentException.class);
    AtomicInteger actions = new AtomicInteger();
    CyclicBarrier b = make.make(2, actions::incrementAndGet);
    assertThat(b.getParties()).isEqualTo(2);
    for (int round = 0; round < 2; round++) {
      AtomicReference<Object> first = new AtomicReference<>();
      Thread t = party(b, first);
      await().atMost(Duration.ofSeconds(10)).until(() -> b.getNumberWaiting() == 1);
      assertThat(b.await()).as("the last to arrive gets index 0").isZero();
      t.join();
      assertThat(first.get()).isEqualTo(1);
    }
    assertThat(actions.get()).isEqualTo(2);
    assertThat(b.isBroken()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("barriers")
  void aTimeout_breaksTheBarrier_forEveryParty_untilReset(Maker make) throws Exception {
    CyclicBarrier b = make.make(3, null);
    AtomicReference<Object> other = new AtomicReference<>();
    Thread t = party(b, other);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getNumberWaiting() == 1);
    assertThatThrownBy(() -> b.await(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    t.join();
    assertThat(other.get()).isInstanceOf(BrokenBarrierException.class);
    assertThat(b.isBroken()).isTrue();
    assertThatThrownBy(() -> b.await(-1, TimeUnit.SECONDS))
        .isInstanceOf(BrokenBarrierException.class);
    b.reset();
    assertThat(b.isBroken()).isFalse();
    assertThat(b.getNumberWaiting()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("barriers")
  void anInterruptedParty_throws_andBreaksTheBarrier(Maker make) throws Exception {
    CyclicBarrier b = make.make(2, null);
    Thread.currentThread().interrupt();
    assertThatThrownBy(b::await).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    assertThat(b.isBroken()).isTrue();
    b.reset();
    AtomicReference<Object> waiter = new AtomicReference<>();
    Thread t = party(b, waiter);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getNumberWaiting() == 1);
    t.interrupt();
    t.join();
    assertThat(waiter.get()).isInstanceOf(InterruptedException.class);
    assertThat(b.isBroken()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("barriers")
  void aFailingAction_reachesTheLastParty_andBreaksTheBarrier(Maker make) throws Exception {
    CyclicBarrier b =
        make.make(
            2,
            () -> {
              throw new IllegalStateException("action failed");
            });
    AtomicReference<Object> first = new AtomicReference<>();
    Thread t = party(b, first);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getNumberWaiting() == 1);
    assertThatThrownBy(b::await).isInstanceOf(IllegalStateException.class);
    t.join();
    assertThat(first.get()).isInstanceOf(BrokenBarrierException.class);
    assertThat(b.isBroken()).isTrue();
  }

  @Test
  void aWaitingParty_isInTheGraph_withTheBarriersState() throws Exception {
    TrackedCyclicBarrier b = new TrackedCyclicBarrier(Runtimes.ON, "phase", 3, null);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread t = party(b, outcome);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getNumberWaiting() == 1);
    Snapshot s = Runtimes.ON.snapshot(List.of(t));
    Entity barrier = s.entity(b.id()).orElseThrow();
    assertThat(((EntityBody.Custom) barrier.body()).attrs())
        .containsEntry("parties", "3")
        .containsEntry("waiting", "1")
        .containsEntry("broken", "false");
    assertThat(s.edgesOfKind(EdgeKind.WAITING_ON)).anyMatch(e -> e.dst().equals(b.id()));
    b.reset();
    t.join();
    assertThat(outcome.get()).isInstanceOf(BrokenBarrierException.class);
    assertThat(Runtimes.ON.snapshot().edgesOfKind(EdgeKind.WAITING_ON))
        .noneMatch(e -> e.dst().equals(b.id()));
  }
}
