package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.runtime.channel.TrackedLinkedBlockingDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link LinkedBlockingDeque} contract, per method, against the JDK's class and {@link
 * TrackedLinkedBlockingDeque} with tracking on and off: both ends, the stack methods, capacity,
 * interrupts (the untimed methods check only once they must wait, the timed ones first), timeouts ≤
 * 0, bulk operations, iterators, serialization and {@code toString}. (guava-testlib's queue suite
 * runs over it as well: {@code BlockingQueueContractTest}.)
 */
@Timeout(30)
final class LinkedBlockingDequeContractTest {
  static Stream<Arguments> deques() {
    return Stream.of(
        Arguments.of(
            Named.<IntFunction<LinkedBlockingDeque<String>>>of(
                "JDK LinkedBlockingDeque", LinkedBlockingDeque::new)),
        Arguments.of(
            Named.<IntFunction<LinkedBlockingDeque<String>>>of(
                "TrackedLinkedBlockingDeque, tracking on",
                n -> new TrackedLinkedBlockingDeque<>(Runtimes.ON, "d", n))),
        Arguments.of(
            Named.<IntFunction<LinkedBlockingDeque<String>>>of(
                "TrackedLinkedBlockingDeque, tracking off",
                n -> new TrackedLinkedBlockingDeque<>(Runtimes.OFF, "d", n))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void bothEnds_andTheStackMethods(IntFunction<LinkedBlockingDeque<String>> make) {
    assertThatThrownBy(() -> make.apply(0)).isInstanceOf(IllegalArgumentException.class);
    LinkedBlockingDeque<String> d = make.apply(3);
    assertThatThrownBy(d::removeFirst).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(d::getLast).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(d::pop).isInstanceOf(NoSuchElementException.class);
    assertThat(d.pollLast()).isNull();
    assertThat(d.offerFirst("b")).isTrue();
    d.push("a");
    assertThat(d.offerLast("c")).isTrue();
    assertThat(d.offerLast("d")).as("full").isFalse();
    assertThatThrownBy(() -> d.addFirst("z"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Deque full");
    assertThatThrownBy(() -> d.offerFirst(null)).isInstanceOf(NullPointerException.class);
    assertThat(d).containsExactly("a", "b", "c");
    assertThat(d.peekFirst()).isEqualTo("a");
    assertThat(d.peekLast()).isEqualTo("c");
    assertThat(d.pop()).isEqualTo("a");
    assertThat(d.removeLast()).isEqualTo("c");
    assertThat(d.remainingCapacity()).isEqualTo(2);
    assertThat(d.size()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void untimedMethods_checkTheInterruptOnlyWhenTheyWait(
      IntFunction<LinkedBlockingDeque<String>> make) throws Exception {
    LinkedBlockingDeque<String> d = make.apply(2);
    Thread.currentThread().interrupt();
    d.putFirst("a");
    d.putLast("b");
    assertThat(d.takeFirst()).isEqualTo("a");
    assertThat(d.takeLast()).isEqualTo("b");
    assertThat(Thread.interrupted()).as("the status is kept").isTrue();
    Thread.currentThread().interrupt();
    assertThatThrownBy(d::takeFirst)
        .as("an empty deque must wait: then it throws")
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void timedMethods_checkTheInterruptFirst_andTimeoutsAtOrBelowZeroDoNotWait(
      IntFunction<LinkedBlockingDeque<String>> make) throws Exception {
    LinkedBlockingDeque<String> d = make.apply(1);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> d.offerFirst("a", 1, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> d.pollLast(0, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    assertThat(d.pollFirst(0, TimeUnit.SECONDS)).isNull();
    assertThat(d.offerLast("a", -1, TimeUnit.SECONDS)).isTrue();
    assertThat(d.offerLast("b", 0, TimeUnit.SECONDS)).isFalse();
    assertThat(d.offer("b", -5, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(d.pollLast(-1, TimeUnit.SECONDS)).isEqualTo("a");
    assertThat(d.poll(10, TimeUnit.MILLISECONDS)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void aBlockedTake_isWokenByAPut(IntFunction<LinkedBlockingDeque<String>> make) throws Exception {
    LinkedBlockingDeque<String> d = make.apply(1);
    AtomicReference<String> taken = new AtomicReference<>();
    Thread taker =
        new Thread(
            () -> {
              try {
                taken.set(d.takeLast());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    taker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> taker.getState() == Thread.State.WAITING);
    d.put("x");
    taker.join();
    assertThat(taken.get()).isEqualTo("x");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void bulkOperations(IntFunction<LinkedBlockingDeque<String>> make) {
    LinkedBlockingDeque<String> d = make.apply(4);
    assertThatThrownBy(() -> d.addAll(d)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.drainTo(d)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.addAll(java.util.Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class);
    assertThat(d).as("nothing of a list with a null is added").isEmpty();
    assertThat(d.addAll(List.of())).isFalse();
    assertThat(d.addAll(List.of("a", "b"))).isTrue();
    assertThatThrownBy(() -> d.addAll(List.of("c", "d", "e")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(d).containsExactly("a", "b", "c", "d");
    List<String> out = new ArrayList<>();
    assertThat(d.drainTo(out, 0)).isZero();
    assertThat(d.drainTo(out, 1)).isEqualTo(1);
    assertThat(d.removeLastOccurrence("d")).isTrue();
    assertThat(d.removeFirstOccurrence("zz")).isFalse();
    assertThat(d.removeIf("b"::equals)).isTrue();
    assertThat(d.drainTo(out)).isEqualTo(1);
    assertThat(out).containsExactly("a", "c");
    assertThat(d.remainingCapacity()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void iterators_removeThroughTheDeque(IntFunction<LinkedBlockingDeque<String>> make) {
    LinkedBlockingDeque<String> d = make.apply(Integer.MAX_VALUE);
    d.addAll(List.of("a", "b", "c"));
    Iterator<String> down = d.descendingIterator();
    assertThat(down.next()).isEqualTo("c");
    down.remove();
    Iterator<String> up = d.iterator();
    assertThat(up.next()).isEqualTo("a");
    up.remove();
    assertThat(d).containsExactly("b");
    assertThat(d.contains("b")).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deques")
  void serializationAndToString(IntFunction<LinkedBlockingDeque<String>> make) throws Exception {
    LinkedBlockingDeque<String> d = make.apply(5);
    d.addAll(List.of("a", "b"));
    assertThat(d.toString()).isEqualTo("[a, b]");
    LinkedBlockingDeque<String> copy = Serial.roundTrip(d);
    assertThat(copy).containsExactly("a", "b");
    assertThat(copy.remainingCapacity()).isEqualTo(3);
    assertThat(copy.getClass()).isEqualTo(d.getClass());
    copy.putFirst("z");
    assertThat(copy.takeFirst()).isEqualTo("z");
    assertThat(d).containsExactly("a", "b");
  }
}
