package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.model.EntityKind;
import dev.moire.runtime.task.TrackedCompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link CompletableFuture} contract, per method, against the JDK's class and {@link
 * TrackedCompletableFuture} with tracking on and off: completion once, exceptional completion and
 * cancellation as each getter reports them, timeouts ≤ 0, interrupts, dependent stages and {@code
 * toString}.
 */
@Timeout(30)
final class CompletableFutureContractTest {
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            Named.<Supplier<CompletableFuture<String>>>of(
                "JDK CompletableFuture", CompletableFuture::new)),
        Arguments.of(
            Named.<Supplier<CompletableFuture<String>>>of(
                "TrackedCompletableFuture, tracking on",
                () -> new TrackedCompletableFuture<>(Runtimes.ON, "f"))),
        Arguments.of(
            Named.<Supplier<CompletableFuture<String>>>of(
                "TrackedCompletableFuture, tracking off",
                () -> new TrackedCompletableFuture<>(Runtimes.OFF, "f"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void completesOnce_andEveryGetterAgrees(Supplier<CompletableFuture<String>> make)
      throws Exception {
    CompletableFuture<String> f = make.get();
    assertThat(f.getNow("absent")).isEqualTo("absent");
    assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> f.get(-1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(f.complete("one")).isTrue();
    assertThat(f.complete("two")).isFalse();
    assertThat(f.completeExceptionally(new IllegalStateException())).isFalse();
    assertThat(f.get()).isEqualTo("one");
    assertThat(f.join()).isEqualTo("one");
    assertThat(f.get(0, TimeUnit.SECONDS)).isEqualTo("one");
    assertThat(f.isDone()).isTrue();
    assertThat(f.isCompletedExceptionally()).isFalse();
    f.obtrudeValue("forced");
    assertThat(f.join()).isEqualTo("forced");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void exceptionalCompletionAndCancellation_asEachGetterReportsThem(
      Supplier<CompletableFuture<String>> make) {
    CompletableFuture<String> failed = make.get();
    IllegalStateException boom = new IllegalStateException("boom");
    failed.completeExceptionally(boom);
    assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasCause(boom);
    assertThat(failed.isCompletedExceptionally()).isTrue();

    CompletableFuture<String> cancelled = make.get();
    assertThat(cancelled.cancel(true)).isTrue();
    assertThat(cancelled.isCancelled()).isTrue();
    assertThatThrownBy(cancelled::get).isInstanceOf(CancellationException.class);
    assertThatThrownBy(cancelled::join).isInstanceOf(CancellationException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anInterruptedGet_throws_anInterruptedJoin_waitsAndKeepsTheStatus(
      Supplier<CompletableFuture<String>> make) throws Exception {
    CompletableFuture<String> f = make.get();
    Thread.currentThread().interrupt();
    assertThatThrownBy(f::get).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    f.complete("done");
    Thread.currentThread().interrupt();
    assertThat(f.get()).as("a done future answers an interrupted caller").isEqualTo("done");
    assertThat(f.join()).isEqualTo("done");
    assertThat(Thread.interrupted()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void dependentStages_areOfTheSameType_andComplete(Supplier<CompletableFuture<String>> make) {
    CompletableFuture<String> f = make.get();
    CompletableFuture<Integer> length = f.thenApply(String::length);
    CompletableFuture<String> composed =
        f.thenCompose(s -> CompletableFuture.completedFuture(s + "!"));
    assertThat(length).isInstanceOf(f.getClass());
    assertThat(length.isDone()).isFalse();
    f.complete("four");
    assertThat(length.join()).isEqualTo(4);
    assertThat(composed.join()).isEqualTo("four!");
    assertThat(f.copy().join()).isEqualTo("four");
    assertThat(f.toCompletableFuture()).isSameAs(f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void toString_isTheJdks(Supplier<CompletableFuture<String>> make) {
    CompletableFuture<String> f = make.get();
    String identity = f.getClass().getName() + "@" + Integer.toHexString(f.hashCode());
    assertThat(f.toString()).isEqualTo(identity + "[Not completed]");
    assertThat(f.getNumberOfDependents()).isZero();
    CompletableFuture<String> dependent = f.thenApply(s -> s);
    assertThat(f.getNumberOfDependents()).isEqualTo(1);
    assertThat(f.toString()).isEqualTo(identity + "[Not completed, 1 dependents]");
    f.complete("x");
    assertThat(dependent.join()).isEqualTo("x");
    assertThat(f.toString()).isEqualTo(identity + "[Completed normally]");
  }

  @Test
  void supplyAsyncAndDependents_areTrackedOneshots_thatLeaveTheGraphWhenDone() {
    TrackedCompletableFuture<String> price =
        TrackedCompletableFuture.supplyAsync("price", () -> "42");
    CompletableFuture<Integer> parsed = price.thenApply(Integer::parseInt);
    assertThat(parsed.join()).isEqualTo(42);
    assertThat(TrackedCompletableFuture.runAsync("log", () -> {}).join()).isNull();
    CompletableFuture<String> pending = new TrackedCompletableFuture<>(Runtimes.ON, "pending");
    CompletableFuture<String> then = pending.thenApply(s -> s);
    assertThat(Runtimes.ON.snapshot().entitiesNamed("pending then"))
        .extracting(e -> e.kind())
        .containsExactlyInAnyOrder(EntityKind.ONESHOT_TX, EntityKind.ONESHOT_RX);
    pending.complete("now");
    assertThat(then.join()).isEqualTo("now");
    assertThat(Runtimes.ON.snapshot().entitiesNamed("pending then")).isEmpty();
  }

  @Test
  void aFutureWithTrackingOff_hasAStableIdThatNamesNoEntity() {
    TrackedCompletableFuture<String> f = new TrackedCompletableFuture<>(Runtimes.OFF, "f");
    assertThat(f.id()).isEqualTo(f.id());
    assertThat(f.id().value()).startsWith("oneshot_rx:untracked:");
    assertThat(f.thenApply(String::length)).isInstanceOf(TrackedCompletableFuture.class);
  }
}
