package dev.moire.junit;

import dev.moire.model.findings.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Looks at every live platform thread of the JVM and names those that could still act: the evidence
 * that closes (or opens) the world of the verdict rule (see {@link World}).
 *
 * <p>A thread in {@code WAITING} or {@code BLOCKED} cannot act until another thread acts. The rest
 * could, except the provably idle: the JVM's, the test framework's and moire's housekeeping (by
 * name), and pool workers waiting for work ({@code ThreadPoolExecutor.getTask}, {@code
 * ForkJoinPool.awaitWork}), whatever their state; a scheduled pool's worker in a timed wait has a
 * task due, so it could act. Virtual threads are not enumerated: a mounted one shows as its running
 * carrier, a sleeping one as the JDK's unparker with a task due, one in I/O as a running poller, so
 * each keeps the world open through the platform thread that will wake it.
 */
final class WorldCensus {
  private static final List<String> HOUSEKEEPING_NAMES =
      List.of(
          "Reference Handler",
          "Finalizer",
          "Signal Dispatcher",
          "Common-Cleaner",
          "Notification Thread",
          "Attach Listener",
          "Service Thread",
          "Monitor Deflation Thread",
          "VirtualThread-unblocker",
          "junit-jupiter-timeout-watcher",
          "Monitor Ctrl-Break",
          "RMI Scheduler(0)",
          "RMI Reaper",
          "JMX server connection timeout");

  private static final List<String> HOUSEKEEPING_PREFIXES =
      List.of("moire-", "surefire-forkedjvm-", "Cleaner-", "RMI TCP ");

  /**
   * Threads that a failed test left behind, stuck: the census of later tests ignores them. Such a
   * thread may sit in a timed wait for good (an executor's {@code close()} waits a day at a time);
   * counted as an actor, it would keep every later test's world open for the rest of the JVM.
   */
  private static final Set<Long> LEFT_BEHIND = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private WorldCensus() {}

  /** Records threads a test left behind, so that later tests' worlds do not count them. */
  static void leftBehind(java.util.Collection<Thread> threads) {
    threads.forEach(t -> LEFT_BEHIND.add(t.getId()));
  }

  /** One platform thread as the census reads it. */
  record Observed(long id, String name, Thread.State state, List<StackTraceElement> frames) {}

  /** Looks at the JVM's platform threads now, except {@code ignored} (such as the caller). */
  static World observe(Set<Long> ignored) {
    return observe(ignored, Optional.empty());
  }

  /**
   * Looks at the JVM's platform threads now, except {@code ignored} and those whose name the user
   * declared housekeeping ({@code moire.world.housekeeping-threads}).
   */
  static World observe(Set<Long> ignored, Optional<Pattern> housekeeping) {
    List<Observed> threads = new ArrayList<>();
    for (Thread t : TestThreads.allPlatformThreads()) {
      long id = t.getId();
      if (ignored.contains(id)
          || LEFT_BEHIND.contains(id)
          || housekeeping.map(p -> p.matcher(t.getName()).matches()).orElse(false)) {
        continue;
      }
      Thread.State state = t.getState();
      // Stacks only for threads that might act: the others are judged by their state alone.
      boolean needsFrames =
          state != Thread.State.WAITING
              && state != Thread.State.BLOCKED
              && state != Thread.State.TERMINATED
              && !isHousekeeping(t.getName());
      threads.add(
          new Observed(
              id, t.getName(), state, needsFrames ? List.of(t.getStackTrace()) : List.of()));
    }
    return judge(threads);
  }

  /** Judges observed threads: the world is open by every one that could act. */
  static World judge(List<Observed> threads) {
    List<String> active = new ArrayList<>();
    for (Observed t : threads) {
      if (!couldAct(t)) {
        continue;
      }
      StringBuilder b = new StringBuilder("'").append(t.name()).append("' ").append(t.state());
      meaningfulFrame(t.frames())
          .ifPresent(
              f -> {
                String c = f.getClassName();
                b.append(" in ")
                    .append(c.substring(c.lastIndexOf('.') + 1))
                    .append('.')
                    .append(f.getMethodName());
              });
      active.add(b.toString());
    }
    return active.isEmpty() ? World.closed() : World.openBy(active);
  }

  /** Returns whether the thread could act on its own: neither stuck nor provably idle. */
  static boolean couldAct(Observed t) {
    Thread.State s = t.state();
    if (s == Thread.State.WAITING
        || s == Thread.State.BLOCKED
        || s == Thread.State.TERMINATED
        || s == Thread.State.NEW) {
      return false;
    }
    return !isHousekeeping(t.name()) && !isIdleWorker(t);
  }

  static boolean isHousekeeping(String name) {
    if (HOUSEKEEPING_NAMES.contains(name)) {
      return true;
    }
    for (String p : HOUSEKEEPING_PREFIXES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A pool worker waiting for work, with nothing queued for it: an executor's worker in {@code
   * getTask} (not a scheduled pool's, whose timed wait means a task is due), a fork-join worker in
   * {@code awaitWork}.
   */
  static boolean isIdleWorker(Observed t) {
    boolean inGetTask = false;
    boolean delayed = false;
    for (StackTraceElement f : t.frames()) {
      String c = f.getClassName();
      String m = f.getMethodName();
      if (c.equals("java.util.concurrent.ForkJoinPool") && m.equals("awaitWork")) {
        return true;
      }
      if (c.equals("java.util.concurrent.ThreadPoolExecutor") && m.equals("getTask")) {
        inGetTask = true;
        break;
      }
      if (c.startsWith("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue")) {
        delayed = true;
      }
    }
    return inGetTask && !(delayed && t.state() == Thread.State.TIMED_WAITING);
  }

  /** The first frame below the parking and I/O machinery: what the thread is doing. */
  private static java.util.Optional<StackTraceElement> meaningfulFrame(
      List<StackTraceElement> frames) {
    for (StackTraceElement f : frames) {
      String c = f.getClassName();
      if (c.startsWith("jdk.internal.")
          || c.equals("java.lang.Thread") && f.getMethodName().startsWith("sleep")
          || c.equals("java.util.concurrent.locks.LockSupport")
          || c.startsWith("java.util.concurrent.locks.AbstractQueuedSynchronizer")) {
        continue;
      }
      return java.util.Optional.of(f);
    }
    return frames.stream().findFirst();
  }
}
