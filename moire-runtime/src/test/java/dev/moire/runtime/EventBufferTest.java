package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.EntityBody;
import dev.moire.model.Event;
import dev.moire.model.EventBody;
import dev.moire.model.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The event buffer: batches written in order, and runs of sends and receives that did not wait. */
final class EventBufferTest {
  private static final EventBody SENT = new EventBody.ChannelSent(OptionalLong.empty(), false);
  private static final EventBody RECEIVED =
      new EventBody.ChannelReceived(OptionalLong.empty(), false);
  private static final Source HERE = new Source("A.java", 1, "A", "a");

  private final ManualClock clock = new ManualClock();
  private final MoireRuntime runtime =
      MoireRuntime.create(
          RuntimeSettings.defaults().withProcessName("p1").withJournalCapacity(1 << 16), clock);
  private final EventBuffer buffer = new EventBuffer(runtime);

  private EntityHandle<EntityBody.Latch> entity(String name) {
    return runtime.createEntity(name, new EntityBody.Latch(1));
  }

  private List<Event> journaledEvents() {
    List<Event> out = new ArrayList<>();
    for (Change c : runtime.journal()) {
      if (c.body() instanceof ChangeBody.AppendEvent a) {
        out.add(a.event());
      }
    }
    return out;
  }

  @Test
  void eventsThatCannotRun_fillABatch_whichIsHandedOffAndWrittenInOrder() {
    EntityHandle<EntityBody.Latch> e = entity("e");
    for (int i = 0; i < EventBuffer.BATCH + 10; i++) {
      buffer.add(e, new EventBody.StateChanged("s" + i, "s" + (i + 1)), HERE);
    }
    assertThat(journaledEvents()).isEmpty();
    buffer.writeHandedOff();
    assertThat(journaledEvents()).hasSize(EventBuffer.BATCH);
    buffer.flush();
    List<Event> all = journaledEvents();
    assertThat(all).hasSize(EventBuffer.BATCH + 10);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).body()).isEqualTo(new EventBody.StateChanged("s" + i, "s" + (i + 1)));
    }
  }

  @Test
  void sendsThatDidNotWait_areOneCountedEvent_withTheFirstTimeAndTheSpanToTheLast() {
    EntityHandle<EntityBody.Latch> tx = entity("tx");
    long start = buffer.clockNanos();
    for (int i = 0; i < 1000; i++) {
      buffer.add(tx, SENT, HERE, start + i * 10L);
    }
    buffer.flush();
    List<Event> events = journaledEvents();
    assertThat(events)
        .singleElement()
        .extracting(Event::body)
        .isEqualTo(EventBody.ChannelSent.run(1000, 9990));
  }

  @Test
  void aSendThatWaited_endsTheRun_andTheNextImmediateOneStartsAnother() {
    EntityHandle<EntityBody.Latch> tx = entity("tx");
    EntityHandle<EntityBody.Latch> rx = entity("rx");
    long t = buffer.clockNanos();
    buffer.add(tx, SENT, HERE, t);
    buffer.add(rx, RECEIVED, HERE, t + 1);
    buffer.add(tx, SENT, HERE, t + 2);
    buffer.add(rx, RECEIVED, HERE, t + 3);
    EventBody waited = new EventBody.ChannelSent(OptionalLong.of(500), false);
    buffer.add(tx, waited, HERE, t + 4);
    buffer.add(tx, SENT, HERE, t + 5);
    buffer.add(tx, SENT, new Source("B.java", 2, "B", "b"), t + 6); // another line: another run
    buffer.add(rx, RECEIVED, HERE, t + 7);
    buffer.flush();
    assertThat(journaledEvents())
        .extracting(Event::body)
        .containsExactly(
            EventBody.ChannelSent.run(2, 2),
            EventBody.ChannelReceived.run(3, 6), // rx runs on: its ends are its own
            waited,
            SENT,
            SENT);
  }

  @Test
  void moreEntitiesThanOpenRuns_closeTheOldestRun_andLoseNoCount() {
    List<EntityHandle<EntityBody.Latch>> ends = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ends.add(entity("end" + i));
    }
    for (int round = 0; round < 10; round++) {
      for (EntityHandle<EntityBody.Latch> end : ends) {
        buffer.add(end, SENT, HERE);
      }
    }
    buffer.flush();
    for (EntityHandle<EntityBody.Latch> end : ends) {
      long total =
          journaledEvents().stream()
              .filter(e -> e.target().id().equals(end.id().value()))
              .mapToLong(e -> ((EventBody.ChannelSent) e.body()).count())
              .sum();
      assertThat(total).as(end.name()).isEqualTo(10);
    }
  }

  @Test
  void aRunOfOne_isWrittenAsThePlainEvent() {
    EntityHandle<EntityBody.Latch> tx = entity("tx");
    buffer.add(tx, SENT, HERE);
    buffer.flush();
    assertThat(journaledEvents()).extracting(Event::body).containsExactly(SENT);
  }
}
