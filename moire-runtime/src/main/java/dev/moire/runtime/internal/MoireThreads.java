package dev.moire.runtime.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * moire's own threads: the Cleaners that release handles dropped unclosed, and the housekeeper that
 * removes the entities of ended threads. Their names start with {@value #PREFIX}, so the harness
 * never counts them among a test's threads.
 */
public final class MoireThreads {
  /** The name prefix of every thread moire starts. */
  public static final String PREFIX = "moire-";

  /**
   * The Cleaners that release handles dropped unclosed: several, because a Cleaner registers and
   * unregisters under one lock of its own, and every tracked entity (a future or latch per request)
   * registers a handle; each thread uses one of them, by its id.
   */
  private static final Cleaner[] CLEANERS = cleaners();

  private static Cleaner[] cleaners() {
    int n =
        Integer.highestOneBit(Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())));
    ThreadFactory factory = daemonFactory("cleaner");
    Cleaner[] cleaners = new Cleaner[n];
    for (int i = 0; i < n; i++) {
      cleaners[i] = Cleaner.create(factory);
    }
    return cleaners;
  }

  /** The Cleaner for handles made on the current thread. */
  @SuppressWarnings("deprecation") // Thread.threadId() exists from JDK 19 only
  public static Cleaner cleaner() {
    return CLEANERS[(int) Thread.currentThread().getId() & (CLEANERS.length - 1)];
  }

  /** The shared housekeeping scheduler, one daemon thread. */
  public static final ScheduledExecutorService HOUSEKEEPING =
      Executors.newSingleThreadScheduledExecutor(daemonFactory("housekeeping"));

  /** The shared dispatcher of journal changes to subscribers, one daemon thread. */
  public static final java.util.concurrent.ExecutorService DISPATCH =
      Executors.newSingleThreadExecutor(daemonFactory("dispatch"));

  private MoireThreads() {}

  /** Returns whether the thread is one of moire's own. */
  public static boolean isMoireThread(Thread thread) {
    return thread.getName().startsWith(PREFIX);
  }

  /** Returns a factory of daemon threads named {@code moire-<role>-<n>}. */
  public static ThreadFactory daemonFactory(String role) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, PREFIX + role + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
