package dev.moire.junit;

import dev.moire.model.ScopeId;
import dev.moire.runtime.MoireRuntime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which threads belong to a test (DESIGN section 5): the test thread, and every thread that did not
 * exist when the test began, other than moire's own and those the runtime knows to be in another
 * test's scope. Virtual threads are seen through the runtime when it tracks them, and otherwise
 * through the JVM's thread dump (JDK 21+), as those created during the test.
 *
 * <p>Library threads started lazily by an earlier test (a reference cleaner, the JDK's process
 * reaper, a pool's housekeeper) thus never count as this test's: they would sleep forever and rule
 * out every stall. A thread that existed before the test but works for it is caught by the verdict
 * rule instead: while it could act, the world is open (see {@link WorldCensus}).
 */
final class TestThreads {
  /** The platform threads alive when the test began. */
  private final Set<Long> baseline;

  /** The first thread id handed out after the test began: later threads have greater ones. */
  private final long firstNewId;

  TestThreads(Set<Long> baseline, long firstNewId) {
    this.baseline = Set.copyOf(baseline);
    this.firstNewId = firstNewId;
  }

  /** Captures the platform threads alive now. */
  static TestThreads baselineNow() {
    Set<Long> ids = new HashSet<>();
    for (Thread t : allPlatformThreads()) {
      ids.add(t.getId());
    }
    // The JVM hands out thread ids in order, when a thread is created: an unstarted thread's id
    // divides the threads created before the test from those created during it.
    return new TestThreads(ids, new Thread(() -> {}).getId());
  }

  /**
   * Returns whether a virtual thread the JVM's thread dump lists is the test's: created during the
   * test (the runtime's tracked virtual threads are placed by their scope, not by this).
   */
  boolean isNewVirtual(long threadId) {
    return threadId > firstNewId;
  }

  /** Returns the threads of the test in {@code scope} whose body runs on {@code testThread}. */
  List<Thread> of(MoireRuntime runtime, ScopeId scope, Thread testThread) {
    List<Thread> out = new ArrayList<>();
    out.add(testThread);
    for (Thread t : allPlatformThreads()) {
      if (t == testThread || baseline.contains(t.getId()) || isMoire(t)) {
        continue;
      }
      Optional<List<ScopeId>> scopes = runtime.scopesOf(t);
      if (scopes.isPresent() && !scopes.get().contains(scope)) {
        continue; // another test's thread
      }
      out.add(t);
    }
    return out;
  }

  /**
   * Returns whether the thread is machinery rather than the test's: moire's own, the JUnit thread
   * that waits for {@code @Timeout}s, and the JDK's system threads (such as the process reaper).
   * Each is started lazily, possibly during a test, and sleeps with a timeout: counted as the
   * test's, it would rule every stall out.
   */
  static boolean isMoire(Thread t) {
    String name = t.getName();
    return name.startsWith("moire-")
        || name.equals("junit-jupiter-timeout-watcher")
        || isSystemThread(t)
        || isCarrier(t);
  }

  /**
   * The JDK's carrier threads of virtual threads (JDK 21+), started lazily whenever a virtual
   * thread first needs one: the JDK's machinery, never a test's thread. (A running virtual thread
   * still shows, through its busy carrier, in the world census.)
   */
  private static boolean isCarrier(Thread t) {
    ThreadGroup g = t.getThreadGroup();
    return t.getClass().getName().equals("jdk.internal.misc.CarrierThread")
        || (g != null && g.getName().equals("CarrierThreads"));
  }

  /**
   * The JDK's own threads (reference handling, cleaners, the process reaper) are in the root group.
   */
  private static boolean isSystemThread(Thread t) {
    ThreadGroup g = t.getThreadGroup();
    return g != null && g.getParent() == null;
  }

  static List<Thread> allPlatformThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 32];
    int n;
    while ((n = root.enumerate(threads, true)) == threads.length) {
      threads = new Thread[threads.length * 2];
    }
    List<Thread> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(threads[i]);
    }
    return out;
  }
}
