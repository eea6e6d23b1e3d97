package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Event;
import dev.moire.model.EventBody;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An mpsc channel and a tracked queue keep the events and counters of sends and receives that do
 * not wait to themselves until someone looks (a snapshot, a task starting to wait on them), or 256
 * events are waiting; sends (receives) that follow one another without waiting are one counted
 * event, a run. These tests pin down that nothing is lost (the counts add up to the messages),
 * nothing comes out of order, and a reader of the graph sees the same totals as when every
 * operation was written at once.
 */
@Timeout(60)
final class DeferredChannelBookkeepingTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(
          RuntimeSettings.defaults().withProcessName("p1").withJournalCapacity(1 << 20));
  private final ChannelFactory channels = Channels.on(runtime);

  private List<String> journaledEvents(EntityId... about) {
    List<String> ids = new ArrayList<>();
    for (EntityId id : about) {
      ids.add(id.value());
    }
    List<String> out = new ArrayList<>();
    for (Change c : runtime.journal()) {
      if (c.body() instanceof ChangeBody.AppendEvent a && ids.contains(a.event().target().id())) {
        out.add(a.event().body().kindName() + " x" + count(a.event().body()));
      }
    }
    return out;
  }

  /** How many operations an event stands for: a run's count, else 1. */
  static long count(EventBody body) {
    if (body instanceof EventBody.ChannelSent s) {
      return s.count();
    }
    if (body instanceof EventBody.ChannelReceived r) {
      return r.count();
    }
    return 1;
  }

  @Test
  void immediateTraffic_isWrittenWhenObserved_inOrder_withNothingLost() throws Exception {
    MpscChannel<Integer> ch = channels.mpsc("jobs", 16);
    EntityId tx = ch.sender().id();
    EntityId rx = ch.receiver().id();
    for (int i = 0; i < 100; i++) {
      ch.sender().send(i);
      assertThat(ch.receiver().recv(Duration.ZERO)).contains(i);
    }
    ch.sender().send(100);
    // Two runs wait: the journal has neither yet, nor the counters.
    assertThat(journaledEvents(tx, rx)).isEmpty();
    Snapshot s = runtime.snapshot();
    assertThat(s.entity(tx).orElseThrow().body())
        .isEqualTo(new EntityBody.MpscTx(1, OptionalInt.of(16), 1, 1, 101));
    assertThat(s.entity(rx).orElseThrow().body()).isEqualTo(new EntityBody.MpscRx(100));
    // One event per run, in the order the runs began: 101 sends, 100 receives.
    assertThat(journaledEvents(tx, rx))
        .containsExactly("channel_sent x101", "channel_received x100");
    Event sent =
        s.events().stream()
            .filter(e -> e.target().id().equals(tx.value()))
            .findFirst()
            .orElseThrow();
    Event recv =
        s.events().stream()
            .filter(e -> e.target().id().equals(rx.value()))
            .findFirst()
            .orElseThrow();
    assertThat(sent.at().nanos()).isLessThanOrEqualTo(recv.at().nanos());
    assertThat(((EventBody.ChannelSent) sent.body()).spanNs())
        .as("the run's first send to its last")
        .isGreaterThanOrEqualTo(((EventBody.ChannelReceived) recv.body()).spanNs());
  }

  @Test
  void aWaitEndsTheRun_andIsAnEventOfItsOwn() throws Exception {
    MpscChannel<Integer> ch = channels.mpsc("jobs", 1);
    EntityId tx = ch.sender().id();
    ch.sender().send(1); // immediate
    Thread sender =
        new Thread(
            () -> {
              try {
                ch.sender().send(2); // waits: the channel is full
                ch.sender().send(3); // immediate again once 2 is taken... or waits: either way
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sender");
    sender.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                runtime.snapshot().edges().stream()
                    .anyMatch(e -> e.kind() == EdgeKind.WAITING_ON && e.dst().equals(tx)));
    assertThat(ch.receiver().recv()).contains(1);
    assertThat(ch.receiver().recv()).contains(2);
    assertThat(ch.receiver().recv()).contains(3);
    sender.join(10_000);
    runtime.snapshot();
    List<String> events = journaledEvents(tx);
    assertThat(events.get(0)).isEqualTo("channel_sent x1");
    assertThat(events.get(1)).isEqualTo("channel_sent x1"); // the send that waited
    assertThat(
            runtime.snapshot().events().stream()
                .filter(e -> e.target().id().equals(tx.value()))
                .map(e -> e.body())
                .filter(b -> ((EventBody.ChannelSent) b).waitNs().isPresent()))
        .hasSizeGreaterThanOrEqualTo(1);
    assertThat(
            runtime.snapshot().events().stream()
                .filter(e -> e.target().id().equals(tx.value()))
                .mapToLong(e -> count(e.body()))
                .sum())
        .isEqualTo(3);
  }

  @Test
  void aTaskThatStartsToWait_findsTheEarlierTrafficAndCountersInTheJournalFirst() throws Exception {
    MpscChannel<Integer> ch = channels.mpsc("jobs", 16);
    EntityId rx = ch.receiver().id();
    for (int i = 0; i < 3; i++) {
      ch.sender().send(i);
      ch.receiver().recv(Duration.ZERO);
    }
    AtomicReference<EntityId> consumer = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              consumer.set(runtime.currentTask().orElseThrow());
              try {
                ch.receiver().recv();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "consumer");
    t.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              runtime.snapshot(); // a wait's edges are written when the graph is observed
              return consumer.get() != null && waitIndex(consumer.get(), rx) >= 0;
            });
    List<Change> journal = runtime.journal();
    int wait = waitIndex(consumer.get(), rx);
    List<String> before = new ArrayList<>();
    EntityBody rxBody = null;
    for (Change c : journal.subList(0, wait)) {
      if (c.body() instanceof ChangeBody.AppendEvent a) {
        before.add(a.event().body().kindName());
      } else if (c.body() instanceof ChangeBody.UpsertEntity u && u.entity().id().equals(rx)) {
        rxBody = u.entity().body();
      }
    }
    assertThat(before).containsSubsequence("channel_sent", "channel_received");
    assertThat(journaledEvents(ch.sender().id(), rx))
        .startsWith("channel_sent x3", "channel_received x3");
    assertThat(rxBody).isEqualTo(new EntityBody.MpscRx(3));
    ch.sender().send(99);
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
  }

  private int waitIndex(EntityId task, EntityId resource) {
    List<Change> journal = runtime.journal();
    for (int i = 0; i < journal.size(); i++) {
      if (journal.get(i).body() instanceof ChangeBody.UpsertEdge u
          && u.edge().kind() == EdgeKind.WAITING_ON
          && u.edge().src().equals(task)
          && u.edge().dst().equals(resource)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void closingTheLastSender_writesItsTrafficBeforeTheEntityGoes() throws Exception {
    MpscChannel<Integer> ch = channels.mpsc("jobs", 16);
    EntityId tx = ch.sender().id();
    ch.sender().send(1);
    ch.sender().send(2);
    ch.sender().close();
    assertThat(journaledEvents(tx)).containsExactly("channel_sent x2");
  }

  @Test
  void underAProducerAConsumerAndObservers_everyEventArrivesOnce_inOrder_withTimesInOrder()
      throws Exception {
    int messages = 50_000;
    MpscChannel<Integer> ch = channels.mpsc("jobs", 64);
    BlockingQueue<Integer> queue = new TrackedBlockingQueue<>(runtime, "queue", 64);
    List<EntityId> ends =
        List.of(
            ch.sender().id(),
            ch.receiver().id(),
            runtime.snapshot().entities().stream()
                .filter(e -> e.name().equals("queue") && e.body() instanceof EntityBody.MpscTx)
                .findFirst()
                .orElseThrow()
                .id());
    AtomicLong[] counts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    long[] lastAt = new long[3];
    AtomicBoolean outOfOrder = new AtomicBoolean();
    AtomicLong delivered = new AtomicLong();
    Subscription sub =
        runtime.subscribe(
            c -> {
              delivered.set(c.seq());
              if (c.body() instanceof ChangeBody.AppendEvent a) {
                Event ev = a.event();
                for (int i = 0; i < ends.size(); i++) {
                  if (ev.target().id().equals(ends.get(i).value())) {
                    counts[i].addAndGet(count(ev.body()));
                    if (ev.at().nanos() < lastAt[i]) {
                      outOfOrder.set(true);
                    }
                    lastAt[i] = ev.at().nanos();
                  }
                }
              }
            });
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread producer =
        new Thread(
            () -> {
              try {
                start.await();
                for (int i = 0; i < messages; i++) {
                  ch.sender().send(i);
                  queue.put(i);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "producer");
    List<Integer> received = new ArrayList<>();
    List<Integer> dequeued = new ArrayList<>();
    Thread consumer =
        new Thread(
            () -> {
              try {
                start.await();
                for (int i = 0; i < messages; i++) {
                  received.add(ch.receiver().recv().orElseThrow());
                  dequeued.add(queue.poll(10, TimeUnit.SECONDS));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "consumer");
    Thread observer =
        new Thread(
            () -> {
              while (running.get()) {
                runtime.snapshot();
              }
            },
            "observer");
    producer.start();
    consumer.start();
    observer.start();
    start.countDown();
    producer.join(50_000);
    consumer.join(50_000);
    running.set(false);
    observer.join(10_000);
    assertThat(producer.isAlive() || consumer.isAlive()).isFalse();
    runtime.snapshot(); // writes what is still waiting
    long last = runtime.lastSeq();
    await().atMost(Duration.ofSeconds(20)).until(() -> delivered.get() >= last);
    sub.close();
    assertThat(received).hasSize(messages).isSorted();
    assertThat(dequeued).hasSize(messages).isSorted().doesNotContainNull();
    assertThat(counts[0]).hasValue(messages); // channel_sent on the sender
    assertThat(counts[1]).hasValue(messages); // channel_received on the receiver
    assertThat(counts[2]).hasValue(messages); // channel_sent on the queue's sending end
    assertThat(outOfOrder).isFalse();
    Snapshot s = runtime.snapshot();
    assertThat(((EntityBody.MpscTx) s.entity(ends.get(0)).orElseThrow().body()).sentTotal())
        .isEqualTo(messages);
    assertThat(s.entity(ends.get(1)).orElseThrow().body())
        .isEqualTo(new EntityBody.MpscRx(messages));
    assertThat(((EntityBody.MpscTx) s.entity(ends.get(2)).orElseThrow().body()).sentTotal())
        .isEqualTo(messages);
  }

  @Test
  void aDisabledRuntime_buffersNothing() throws Exception {
    MoireRuntime off = MoireRuntime.create(RuntimeSettings.defaults().withEnabled(false));
    MpscChannel<Integer> ch = Channels.on(off).mpsc("jobs", 4);
    ch.sender().send(1);
    assertThat(ch.receiver().recv(Duration.ZERO)).contains(1);
    assertThat(off.snapshot().events()).isEmpty();
    assertThat(off.journal()).isEmpty();
  }
}
