package dev.moire.runtime.internal;

import dev.moire.model.OperationSite;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * Adds to a snapshot's thread table what code rewritten by moire-agent told about the threads:
 * where each was started ({@link ThreadStarts}) and, for a thread in {@code Object.wait}, where the
 * object it waits on was notified ({@link MonitorSignals}). Without the agent nothing is added.
 */
public final class ThreadSignals {
  private ThreadSignals() {}

  /** The snapshot with its thread rows told where they were started and signalled. */
  public static Snapshot addTo(Snapshot s) {
    return s.withThreadsMapped(ThreadSignals::row);
  }

  private static ThreadSnapshot row(ThreadSnapshot t) {
    Optional<Source> started = ThreadStarts.of(t.threadId());
    List<OperationSite> notified = inObjectWait(t) ? notifiesOf(t.blocker().get()) : List.of();
    return started.isEmpty() && notified.isEmpty() ? t : t.withSignals(started, notified);
  }

  /** Whether the thread waits in {@code Object.wait} on an object the JVM names. */
  private static boolean inObjectWait(ThreadSnapshot t) {
    if (t.blocker().isEmpty() || t.state() == Thread.State.TERMINATED) {
      return false;
    }
    // Object.wait is the top frame (under it, on JDK 21+, its native wait0, also a wait).
    return !t.topFrames().isEmpty() && Source.isObjectWait(t.topFrames().get(0));
  }

  private static List<OperationSite> notifiesOf(String blocker) {
    return JvmThread.JvmObject.parse(blocker)
        .map(o -> MonitorSignals.of(o.className(), o.identityHash()))
        .orElse(List.of());
  }
}
