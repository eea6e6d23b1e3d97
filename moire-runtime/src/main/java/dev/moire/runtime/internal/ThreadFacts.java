package dev.moire.runtime.internal;

import dev.moire.model.EntityId;
import dev.moire.model.ThreadSnapshot;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/** What the JVM knows about a thread, read the same way on JDK 17 and on JDK 21+. */
public final class ThreadFacts {
  /** How many frames of each thread a snapshot keeps. */
  public static final int TOP_FRAMES = 64;

  private static final @Nullable MethodHandle IS_VIRTUAL = findIsVirtual();
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private ThreadFacts() {}

  /** Returns whether the thread is virtual; always false before JDK 21. */
  public static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable t) {
      return false;
    }
  }

  /** Returns a readable name for a thread, even an unnamed virtual one. */
  public static String displayName(Thread thread) {
    String name = thread.getName();
    if (name == null || name.isBlank()) {
      return (isVirtual(thread) ? "virtual-" : "thread-") + threadId(thread);
    }
    return name;
  }

  /** Returns the thread's id. */
  @SuppressWarnings("deprecation") // Thread.threadId() exists from JDK 19 only
  public static long threadId(Thread thread) {
    return thread.getId();
  }

  /** Returns the thread as a row of a snapshot's thread table. */
  public static ThreadSnapshot describe(Thread thread, Optional<EntityId> entity) {
    Thread.State state = thread.getState();
    Optional<String> blocker =
        Optional.ofNullable(LockSupport.getBlocker(thread)).map(ThreadFacts::objectName);
    Optional<String> owner = Optional.empty();
    if (state == Thread.State.BLOCKED || (blocker.isEmpty() && state == Thread.State.WAITING)) {
      if (!isVirtual(thread)) {
        ThreadInfo info = MX.getThreadInfo(threadId(thread));
        if (info != null) {
          if (blocker.isEmpty() && info.getLockName() != null) {
            blocker = Optional.of(info.getLockName());
          }
          owner = Optional.ofNullable(info.getLockOwnerName());
        }
      }
    }
    return new ThreadSnapshot(
        threadId(thread),
        displayName(thread),
        isVirtual(thread),
        state,
        blocker,
        owner,
        SourceCapture.frames(thread.getStackTrace(), TOP_FRAMES),
        entity);
  }

  /** A thread to describe, with the entity it is running. */
  public record Row(Thread thread, Optional<EntityId> entity) {}

  /**
   * Returns rows of a snapshot's thread table for many threads at once: the platform threads'
   * states, lock names, owners and top frames from one {@code ThreadMXBean.getThreadInfo} call (one
   * pause of the JVM for all of them, not one per thread), virtual threads one by one.
   */
  public static java.util.List<ThreadSnapshot> describeAll(java.util.List<Row> rows) {
    java.util.List<Row> platform = new java.util.ArrayList<>();
    for (Row r : rows) {
      if (!isVirtual(r.thread())) {
        platform.add(r);
      }
    }
    long[] ids = new long[platform.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = threadId(platform.get(i).thread());
    }
    java.util.Map<Long, ThreadInfo> infos = new java.util.HashMap<>();
    try {
      for (ThreadInfo info : MX.getThreadInfo(ids, TOP_FRAMES)) {
        if (info != null) {
          infos.put(info.getThreadId(), info);
        }
      }
    } catch (RuntimeException e) {
      infos.clear(); // described one by one below
    }
    java.util.List<ThreadSnapshot> out = new java.util.ArrayList<>(rows.size());
    for (Row r : rows) {
      ThreadInfo info = infos.get(threadId(r.thread()));
      out.add(info == null ? describe(r.thread(), r.entity()) : describe(r, info));
    }
    return out;
  }

  private static ThreadSnapshot describe(Row r, ThreadInfo info) {
    Thread thread = r.thread();
    Thread.State state = info.getThreadState();
    Optional<String> blocker =
        Optional.ofNullable(LockSupport.getBlocker(thread)).map(ThreadFacts::objectName);
    Optional<String> owner = Optional.empty();
    if (state == Thread.State.BLOCKED || (blocker.isEmpty() && state == Thread.State.WAITING)) {
      if (blocker.isEmpty() && info.getLockName() != null) {
        blocker = Optional.of(info.getLockName());
      }
      owner = Optional.ofNullable(info.getLockOwnerName());
    }
    return new ThreadSnapshot(
        threadId(thread),
        displayName(thread),
        false,
        state,
        blocker,
        owner,
        SourceCapture.frames(info.getStackTrace(), TOP_FRAMES),
        r.entity());
  }

  /** Returns {@code SimpleName@hash}, as thread dumps name an object. */
  public static String objectName(Object o) {
    return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
  }

  private static @Nullable MethodHandle findIsVirtual() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
