package dev.moire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.OperationSite;
import dev.moire.model.Source;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class MonitorSignalsTest {
  private static final Source NOTIFY = new Source("Mailbox.java", 16, "Mailbox", "deliver");

  private static List<OperationSite> of(Object o) {
    return MonitorSignals.of(o.getClass().getName(), System.identityHashCode(o));
  }

  @Test
  void aNotifiedObject_isFoundByItsJvmName_andNoOtherIs() {
    Object mailbox = new Object();
    Object other = new Object();
    MonitorSignals.record(mailbox, NOTIFY);
    MonitorSignals.record(mailbox, NOTIFY); // seen: nothing changes
    assertThat(of(mailbox))
        .containsExactly(
            new OperationSite(NOTIFY, List.of(Thread.currentThread().getName()), false));
    assertThat(of(other)).isEmpty();
    // The same identity hash under another class's name is not this object.
    assertThat(MonitorSignals.of("java.lang.String", System.identityHashCode(mailbox))).isEmpty();
  }

  @Test
  void manyObjects_eachKeepTheirOwnSignals() {
    List<Object> monitors = new ArrayList<>();
    for (int i = 0; i < MonitorSignals.SLOTS; i++) {
      Object m = new Object();
      monitors.add(m);
      MonitorSignals.record(m, new Source("Mailbox.java", 100 + i, "Mailbox", "deliver"));
    }
    // A slot keeps its newest objects: the last one recorded is always there, with its own line.
    Object last = monitors.get(monitors.size() - 1);
    assertThat(of(last))
        .singleElement()
        .satisfies(s -> assertThat(s.at().line()).isEqualTo(100 + MonitorSignals.SLOTS - 1));
    long found = monitors.stream().filter(m -> !of(m).isEmpty()).count();
    assertThat(found).isGreaterThan(MonitorSignals.SLOTS / 2);
  }

  @Test
  void aThreadsStart_isFoundByItsId_andAnUnknownLineIsNotKept() {
    Thread t = new Thread(() -> {}, "loader");
    Source start = new Source("Loader.java", 21, "Loader", "load");
    ThreadStarts.record(t, start);
    assertThat(ThreadStarts.of(ThreadFacts.threadId(t))).contains(start);
    Thread u = new Thread(() -> {}, "unknown");
    ThreadStarts.record(u, Source.UNKNOWN);
    assertThat(ThreadStarts.of(ThreadFacts.threadId(u))).isEmpty();
  }
}
