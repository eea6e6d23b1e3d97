package dev.moire.runtime.internal;

import dev.moire.model.OperationSite;
import dev.moire.model.Source;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where an operation was done and by which threads, for the explanation of a wait that the
 * operation would end: where a latch was counted down, where futures made at one line were
 * completed. A few sites, a few threads each: enough to name who would act and where.
 *
 * <p>Lock-free, and free when nothing new is seen: a site and thread already recorded (or a full
 * tally) costs a read of one field and a scan of at most {@value #SITES} entries; something new
 * replaces the immutable array by compare-and-set.
 */
public final class SiteTally {
  /** The most sites kept. */
  static final int SITES = 4;

  /** The most threads named per site. */
  static final int THREADS = 4;

  private record Entry(Source at, String[] threads, boolean more) {}

  private static final Entry[] NONE = new Entry[0];

  private static final VarHandle ENTRIES;

  static {
    try {
      ENTRIES = MethodHandles.lookup().findVarHandle(SiteTally.class, "entries", Entry[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("FieldMayBeFinal") // written through ENTRIES
  private volatile Entry[] entries = NONE;

  /** Records that the current thread did the operation at {@code at}; an unknown line is not. */
  public void record(Source at) {
    if (at.line() < 0) {
      return; // nowhere to name: no frame of the user's was found
    }
    String thread = Thread.currentThread().getName();
    while (true) {
      Entry[] now = entries;
      Entry[] next = with(now, at, thread);
      if (next == now || ENTRIES.compareAndSet(this, now, next)) {
        return;
      }
    }
  }

  /** {@code now} with {@code thread} at {@code at}, or {@code now} itself when nothing changes. */
  private static Entry[] with(Entry[] now, Source at, String thread) {
    for (int i = 0; i < now.length; i++) {
      Entry e = now[i];
      if (!e.at().equals(at)) {
        continue;
      }
      if (e.more() || named(e.threads(), thread)) {
        return now;
      }
      Entry[] next = now.clone();
      next[i] =
          e.threads().length < THREADS
              ? new Entry(at, append(e.threads(), thread), false)
              : new Entry(at, e.threads(), true);
      return next;
    }
    if (now.length >= SITES) {
      return now;
    }
    Entry[] next = Arrays.copyOf(now, now.length + 1);
    next[now.length] = new Entry(at, new String[] {thread}, false);
    return next;
  }

  private static boolean named(String[] threads, String thread) {
    for (String t : threads) {
      if (t.equals(thread)) {
        return true;
      }
    }
    return false;
  }

  private static String[] append(String[] threads, String thread) {
    String[] next = Arrays.copyOf(threads, threads.length + 1);
    next[threads.length] = thread;
    return next;
  }

  /** What was recorded, in the order the sites were first seen. */
  public List<OperationSite> sites() {
    Entry[] now = entries;
    List<OperationSite> sites = new ArrayList<>(now.length);
    for (Entry e : now) {
      sites.add(new OperationSite(e.at(), List.of(e.threads()), e.more()));
    }
    return List.copyOf(sites);
  }

  /** Whether nothing was recorded. */
  public boolean isEmpty() {
    return entries.length == 0;
  }
}
