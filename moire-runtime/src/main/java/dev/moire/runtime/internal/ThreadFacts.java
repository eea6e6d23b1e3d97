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
  public static final int TOP_FRAMES = 12;

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
