package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.ScopeKind;
import dev.moire.runtime.ContextToken;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.ScopeHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
@SuppressWarnings("try") // context tokens are entered for their effect
final class MpscChannelTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));
  private final ChannelFactory channels = Channels.on(runtime);
  private final GraphProbe graph = new GraphProbe(runtime);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void creation_pairsTheEnds_andTheCreatorHoldsBoth() {
    MpscChannel<String> ch = channels.mpsc("jobs", 4);
    EntityId me = runtime.currentTask().orElseThrow();
    assertThat(ch.sender().id()).hasToString("mpsc:p1:jobs:tx");
    assertThat(ch.receiver().id()).hasToString("mpsc:p1:jobs:rx");
    assertThat(graph.hasEdge(ch.sender().id(), EdgeKind.PAIRED_WITH, ch.receiver().id())).isTrue();
    assertThat(graph.hasEdge(me, EdgeKind.HOLDS, ch.sender().id())).isTrue();
    assertThat(graph.hasEdge(me, EdgeKind.HOLDS, ch.receiver().id())).isTrue();
    assertThat(graph.entity(ch.sender().id()).body())
        .isEqualTo(new EntityBody.MpscTx(0, OptionalInt.of(4), 0, 1, 0));
    assertThat(graph.entity(ch.sender().id()).source().file()).isEqualTo("MpscChannelTest.java");
  }

  @Test
  void aWaitingConsumer_showsWaitingOn_untilASendWakesIt() throws Exception {
    MpscChannel<String> ch = channels.mpsc("jobs", 4);
    AtomicReference<EntityId> consumer = new AtomicReference<>();
    Future<Optional<String>> got =
        pool.submit(
            () -> {
              consumer.set(runtime.currentTask().orElseThrow());
              return ch.receiver().recv();
            });
    await().until(() -> graph.waitingOn(ch.receiver().id()).isPresent());
    Edge waiting = graph.waitingOn(ch.receiver().id()).orElseThrow();
    assertThat(waiting.src()).isEqualTo(consumer.get());
    assertThat(waiting.timed()).isFalse();
    assertThat(graph.hasEdge(consumer.get(), EdgeKind.POLLS, ch.receiver().id())).isTrue();

    ch.sender().send("job-1");
    assertThat(got.get()).contains("job-1");
    assertThat(graph.waitingOn(ch.receiver().id())).isEmpty();
    assertThat(graph.events(ch.receiver().id()))
        .extracting(e -> e.body())
        .singleElement()
        .satisfies(
            b -> {
              EventBody.ChannelReceived r = (EventBody.ChannelReceived) b;
              assertThat(r.waitNs()).isPresent();
              assertThat(r.waitNs().getAsLong()).isPositive();
              assertThat(r.closed()).isFalse();
            });
    assertThat(graph.events(ch.sender().id()))
        .extracting(e -> e.body())
        .containsExactly(new EventBody.ChannelSent(java.util.OptionalLong.empty(), false));
  }

  @Test
  void aFullBoundedChannel_makesTheSenderWaitOnItsEnd_timedWhenTimed() throws Exception {
    MpscChannel<Integer> ch = channels.mpsc("small", 1);
    ch.sender().send(1);
    assertThat(ch.sender().trySend(2)).isFalse();
    Future<Boolean> timed = pool.submit(() -> ch.sender().send(2, Duration.ofSeconds(30)));
    await().until(() -> graph.waitingOn(ch.sender().id()).isPresent());
    assertThat(graph.waitingOn(ch.sender().id()).orElseThrow().timed()).isTrue();
    assertThat(ch.receiver().recv()).contains(1);
    assertThat(timed.get()).isTrue();
    assertThat(graph.waitingOn(ch.sender().id())).isEmpty();
    assertThat(ch.sender().send(3, Duration.ofMillis(20))).isFalse();
    EntityBody.MpscTx tx = (EntityBody.MpscTx) graph.entity(ch.sender().id()).body();
    assertThat(tx).isEqualTo(new EntityBody.MpscTx(1, OptionalInt.of(1), 1, 1, 2));
    assertThat(graph.entity(ch.receiver().id()).body()).isEqualTo(new EntityBody.MpscRx(1));
  }

  @Test
  void closingTheLastSender_endsTheForEachLoop_afterTheQueueDrains() throws Exception {
    MpscChannel<Integer> ch = channels.mpscUnbounded("numbers");
    Sender<Integer> second = ch.sender().clone();
    assertThat(((EntityBody.MpscTx) graph.entity(ch.sender().id()).body()).senderCount())
        .isEqualTo(2);
    Future<List<Integer>> all =
        pool.submit(
            () -> {
              List<Integer> out = new ArrayList<>();
              for (int n : ch.receiver()) {
                out.add(n);
              }
              return out;
            });
    ch.sender().send(1);
    second.send(2);
    ch.sender().close();
    assertThat(graph.exists(ch.sender().id())).isTrue();
    second.send(3);
    second.close();
    assertThat(all.get()).containsExactly(1, 2, 3);
    assertThat(ch.receiver().isDrained()).isTrue();
    assertThat(ch.receiver().recv()).isEmpty();
    assertThat(graph.exists(ch.sender().id())).isFalse();
    assertThat(graph.events(ch.receiver().id()))
        .last()
        .extracting(e -> ((EventBody.ChannelReceived) e.body()).closed())
        .isEqualTo(true);
  }

  @Test
  void closingTheReceiver_makesSendsFail_namingTheChannel() throws Exception {
    MpscChannel<String> ch = channels.mpsc("orders", 1);
    ch.sender().send("a");
    Future<?> blocked =
        pool.submit(
            () -> {
              ch.sender().send("b");
              return null;
            });
    await().until(() -> graph.waitingOn(ch.sender().id()).isPresent());
    ch.receiver().close();
    assertThatThrownBy(blocked::get)
        .hasCauseInstanceOf(ChannelClosedException.class)
        .hasRootCauseMessage("channel 'orders' is closed: its receiver was closed");
    assertThatThrownBy(() -> ch.sender().send("c"))
        .isInstanceOf(ChannelClosedException.class)
        .hasMessage("channel 'orders' is closed: its receiver was closed");
    assertThatThrownBy(() -> ch.sender().trySend("c")).isInstanceOf(ChannelClosedException.class);
    assertThat(ch.sender().isReceiverClosed()).isTrue();
  }

  @Test
  void badInput_getsSpecificErrors_namingTheChannel() throws Exception {
    assertThatThrownBy(() -> channels.mpsc("jobs", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity of channel 'jobs' must be positive: 0");
    assertThatThrownBy(() -> channels.broadcast("news", -1))
        .hasMessage("capacity of broadcast 'news' must be positive: -1");
    assertThatThrownBy(() -> channels.mpsc(" ", 1))
        .hasMessage("channel name must not be blank: ' '");
    MpscChannel<String> ch = channels.mpsc("jobs", 2);
    assertThatThrownBy(() -> ch.sender().send(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("message for channel 'jobs' must not be null");
    Sender<String> clone = ch.sender().clone();
    clone.close();
    assertThatThrownBy(() -> clone.send("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sender of channel 'jobs' is closed");
    assertThatThrownBy(clone::clone).hasMessage("sender of channel 'jobs' is closed");
    assertThatThrownBy(clone::close).hasMessage("sender of channel 'jobs' is already closed");
    ch.receiver().close();
    assertThatThrownBy(() -> ch.receiver().recv())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("receiver of channel 'jobs' is closed");
  }

  @Test
  void blockingReceive_isInterruptible() throws Exception {
    MpscChannel<String> ch = channels.mpsc("jobs", 1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                ch.receiver().recv();
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    t.start();
    await().until(() -> graph.waitingOn(ch.receiver().id()).isPresent());
    t.interrupt();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(graph.waitingOn(ch.receiver().id())).isEmpty();
  }

  @Test
  void theHarness_abortsEveryWaitOfAScope_withItsError() throws Exception {
    MpscChannel<String> ch = channels.mpsc("jobs", 1);
    ch.sender().send("fill");
    ScopeHandle test = runtime.openScope("Deadlocked.test()", ScopeKind.TEST);
    CompletableFuture<Throwable> receiver = new CompletableFuture<>();
    CompletableFuture<Throwable> sender = new CompletableFuture<>();
    try (ContextToken in = runtime.enterScope(test)) {
      MpscChannel<String> empty = channels.mpsc("never", 1);
      new Thread(() -> capture(receiver, () -> empty.receiver().recv())).start();
      new Thread(() -> capture(sender, () -> ch.sender().send("blocked"))).start();
      await().until(() -> runtime.threadsWaitingIn(test.id()).size() == 2);
    }
    AssertionError abort = new AssertionError("deadlock detected");
    runtime.abortWaits(test.id(), abort);
    assertThat(receiver.get()).isSameAs(abort);
    assertThat(sender.get()).isSameAs(abort);
    assertThat(runtime.threadsWaitingIn(test.id())).isEmpty();
    assertThat(graph.now().edgesOfKind(EdgeKind.WAITING_ON)).isEmpty();
  }

  private interface Blocking {
    void run() throws Exception;
  }

  private static void capture(CompletableFuture<Throwable> out, Blocking op) {
    try {
      op.run();
      out.complete(null);
    } catch (Throwable t) {
      out.complete(t);
    }
  }

  @Test
  void aProducerThatEndsWithoutClosing_isNamedInTheLostSenderFinding() throws Exception {
    AtomicReference<MpscChannel<String>> made = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              MpscChannel<String> ch = channels.mpsc("results", 4);
              made.set(ch); // the sender stays reachable: "lost in a map", never closed
              try {
                ch.sender().send("first");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "producer");
    producer.start();
    producer.join();
    MpscChannel<String> ch = made.get();
    AtomicReference<EntityId> consumer = new AtomicReference<>();
    Future<Optional<String>> second =
        pool.submit(
            () -> {
              consumer.set(runtime.currentTask().orElseThrow());
              assertThat(ch.receiver().recv()).contains("first");
              return ch.receiver().recv(); // waits forever: the sender is lost
            });
    await().until(() -> graph.waitingOn(ch.receiver().id()).isPresent());
    List<dev.moire.model.findings.Finding> lost =
        dev.moire.model.findings.Findings.analyze(
                runtime.snapshot(),
                dev.moire.model.findings.FindingSettings.defaults(),
                Optional.empty(),
                dev.moire.model.findings.World.closed()) // as the harness sees it when all stop
            .stream()
            .filter(f -> f.kind() == dev.moire.model.findings.FindingKind.LOST_SENDER)
            .toList();
    assertThat(lost)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(dev.moire.model.findings.Certainty.CERTAIN);
              assertThat(f.explanation())
                  .contains("receiver of channel 'results'")
                  .contains(
                      "held or used only by thread 'producer', which has ended without closing it");
            });
    ch.sender().close();
    assertThat(second.get()).isEmpty();
  }

  @Test
  void stress_4producers_4consumers_100000each_loseAndDuplicateNothing() throws Exception {
    int producers = 4;
    int consumers = 4;
    int perProducer = 100_000;
    MpscChannel<Long> ch = channels.mpsc("stress", 8);
    List<Future<long[]>> received = new ArrayList<>();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    for (int c = 0; c < consumers; c++) {
      received.add(
          pool.submit(
              () -> {
                start.await();
                long count = 0;
                long sum = 0;
                // Consumers share the receiver: Receiver is safe for several threads.
                for (long v : ch.receiver()) {
                  count++;
                  sum += v;
                }
                return new long[] {count, sum};
              }));
    }
    List<Sender<Long>> senders = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      senders.add(ch.sender().clone());
    }
    List<Future<?>> sent = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      Sender<Long> tx = senders.get(p);
      long base = (long) p * perProducer;
      sent.add(
          pool.submit(
              () -> {
                start.await();
                try (tx) {
                  for (long i = 0; i < perProducer; i++) {
                    tx.send(base + i);
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : sent) {
      f.get();
    }
    long n = (long) producers * perProducer;
    // The original sender is still open: the graph shows the drained channel at rest.
    await().until(() -> ch.receiver().queued() == 0);
    await()
        .until(
            () -> ((EntityBody.MpscRx) graph.entity(ch.receiver().id()).body()).recvTotal() == n);
    EntityBody.MpscTx tx = (EntityBody.MpscTx) graph.entity(ch.sender().id()).body();
    assertThat(tx.queueLen()).isZero();
    assertThat(tx.sentTotal()).isEqualTo(n);
    assertThat(tx.senderCount()).isEqualTo(1);
    assertThat(tx.highWatermark()).isBetween(1L, 8L);
    ch.sender().close();
    long count = 0;
    long sum = 0;
    for (Future<long[]> f : received) {
      long[] r = f.get();
      count += r[0];
      sum += r[1];
    }
    assertThat(count).isEqualTo(n);
    assertThat(sum).isEqualTo(n * (n - 1) / 2); // every value 0..n-1 exactly once
    ch.receiver().close();
    await().until(() -> graph.channelFootprint("stress") == 0);
  }
}
