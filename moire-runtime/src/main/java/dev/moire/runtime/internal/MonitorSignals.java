package dev.moire.runtime.internal;

import dev.moire.model.OperationSite;
import dev.moire.model.Source;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Where objects were notified ({@code notify()}, {@code notifyAll()}) and by which threads, as code
 * rewritten by moire-agent tells it: a thread stuck in {@code Object.wait} on one of them then says
 * who signals it, and so that a signal came before its wait began (a lost wake-up) or went to
 * another waiter.
 *
 * <p>An object is found by identity, as the JVM's thread dump names what a thread waits on ({@code
 * class@identity-hash}). A table of {@value #SLOTS} slots by identity hash, each a short immutable
 * chain replaced by compare-and-set; objects are held weakly, and a chain keeps its {@value #CHAIN}
 * newest objects, dropping collected ones whenever it changes. A notify of an object already in the
 * table, by a thread and at a line already recorded, takes no lock and allocates nothing.
 */
public final class MonitorSignals {
  static final int SLOTS = 1024;
  static final int CHAIN = 8;

  private static final class Entry {
    final WeakReference<Object> monitor;
    final int hash;
    final SiteTally tally;
    final @Nullable Entry next;

    Entry(WeakReference<Object> monitor, int hash, SiteTally tally, @Nullable Entry next) {
      this.monitor = monitor;
      this.hash = hash;
      this.tally = tally;
      this.next = next;
    }
  }

  private static final AtomicReferenceArray<@Nullable Entry> TABLE =
      new AtomicReferenceArray<>(SLOTS);

  private MonitorSignals() {}

  /** Records that the current thread notified {@code monitor} at {@code at}. */
  public static void record(Object monitor, Source at) {
    int hash = System.identityHashCode(monitor);
    int slot = hash & (SLOTS - 1);
    while (true) {
      Entry head = TABLE.get(slot);
      for (Entry e = head; e != null; e = e.next) {
        if (e.monitor.get() == monitor) {
          e.tally.record(at);
          return;
        }
      }
      SiteTally tally = new SiteTally();
      Entry fresh = new Entry(new WeakReference<>(monitor), hash, tally, live(head, CHAIN - 1));
      if (TABLE.compareAndSet(slot, head, fresh)) {
        tally.record(at);
        return;
      }
    }
  }

  /** The first {@code keep} entries of a chain whose objects are still alive, copied. */
  private static @Nullable Entry live(@Nullable Entry e, int keep) {
    while (e != null && e.monitor.get() == null) {
      e = e.next;
    }
    if (e == null || keep == 0) {
      return null;
    }
    return new Entry(e.monitor, e.hash, e.tally, live(e.next, keep - 1));
  }

  /**
   * Where the object the JVM names {@code className@identityHash} was notified, if it is in the
   * table.
   */
  public static List<OperationSite> of(String className, int identityHash) {
    for (Entry e = TABLE.get(identityHash & (SLOTS - 1)); e != null; e = e.next) {
      Object monitor = e.monitor.get();
      if (e.hash == identityHash
          && monitor != null
          && monitor.getClass().getName().equals(className)) {
        return e.tally.sites();
      }
    }
    return List.of();
  }
}
