package dev.moire.runtime.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * moire's own threads: the Cleaner that releases handles dropped unclosed, and the housekeeper that
 * removes the entities of ended threads. Their names start with {@value #PREFIX}, so the harness
 * never counts them among a test's threads.
 */
public final class MoireThreads {
  /** The name prefix of every thread moire starts. */
  public static final String PREFIX = "moire-";

  /** The shared Cleaner. */
  public static final Cleaner CLEANER = Cleaner.create(daemonFactory("cleaner"));

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
