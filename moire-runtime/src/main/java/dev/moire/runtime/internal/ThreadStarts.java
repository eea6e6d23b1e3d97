package dev.moire.runtime.internal;

import dev.moire.model.Source;
import java.lang.ref.WeakReference;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where threads were started, as code rewritten by moire-agent tells it ({@code thread.start()} at
 * the user's line): a join on an unnamed thread then says which thread that is. Facts about the
 * JVM's threads, so one table for the JVM; a thread's id is never reused while the JVM runs. The
 * table forgets ended threads once it grows past {@value #PRUNE_AT} rows.
 */
public final class ThreadStarts {
  static final int PRUNE_AT = 4096;

  private record Start(WeakReference<Thread> thread, Source at) {}

  private static final ConcurrentHashMap<Long, Start> STARTS = new ConcurrentHashMap<>();

  private ThreadStarts() {}

  /** Records that {@code thread}, not started yet, is about to be started at {@code at}. */
  public static void record(Thread thread, Source at) {
    if (at.line() < 0) {
      return;
    }
    STARTS.put(ThreadFacts.threadId(thread), new Start(new WeakReference<>(thread), at));
    if (STARTS.size() > PRUNE_AT) {
      STARTS
          .values()
          .removeIf(
              s -> {
                Thread t = s.thread().get();
                return t == null || t.getState() == Thread.State.TERMINATED;
              });
    }
  }

  /** Where the thread with this id was started, when code the agent rewrote started it. */
  public static Optional<Source> of(long threadId) {
    Start s = STARTS.get(threadId);
    return s == null ? Optional.empty() : Optional.of(s.at());
  }
}
