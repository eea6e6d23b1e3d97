package dev.moire.runtime.internal;

import dev.moire.model.Source;
import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One thread as the JVM describes it, whichever way it was read: from the thread bean's {@link
 * ThreadInfo} (platform threads) or from the JSON thread dump of JDK 21+ (virtual threads too). The
 * one shape the JVM's locks are built from (see {@link JvmLocks}).
 *
 * @param id the thread id
 * @param name its name, possibly empty (an unnamed virtual thread)
 * @param virtual whether it is a virtual thread
 * @param state its state
 * @param waitsOn the object it is blocked entering (a monitor), parked on (a lock's or a latch's
 *     synchronizer) or waiting on in {@code Object.wait} (such as a joined {@code Thread})
 * @param entering whether {@code waitsOn} is a monitor it is blocked entering
 * @param owner the owner of {@code waitsOn}, when the JVM names it
 * @param monitors the monitors it holds, each with the depth of the frame that took it
 * @param stack its stack, innermost first
 */
public record JvmThread(
    long id,
    String name,
    boolean virtual,
    Thread.State state,
    Optional<JvmObject> waitsOn,
    boolean entering,
    OptionalLong owner,
    List<Held> monitors,
    List<StackTraceElement> stack) {

  /** An object the JVM names by class and identity, as {@code java.lang.Object@1b6d3586}. */
  public record JvmObject(String className, int identityHash) {
    /** Parses the JVM's identity string, {@code class@hex}; empty if it is not one. */
    static Optional<JvmObject> parse(String s) {
      int at = s.lastIndexOf('@');
      if (at <= 0 || at == s.length() - 1) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new JvmObject(s.substring(0, at), Integer.parseUnsignedInt(s.substring(at + 1), 16)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    static JvmObject of(LockInfo l) {
      return new JvmObject(l.getClassName(), l.getIdentityHashCode());
    }

    /** {@code class@hex}, as the JVM writes it. */
    @Override
    public String toString() {
      return className + "@" + Integer.toHexString(identityHash);
    }
  }

  /** A monitor a thread holds, taken in the frame at {@code depth} of its stack. */
  public record Held(JvmObject lock, int depth) {}

  public JvmThread {
    monitors = List.copyOf(monitors);
    stack = List.copyOf(stack);
  }

  /** Reads a platform thread's row of the thread bean (with its locked monitors, if asked). */
  static JvmThread of(ThreadInfo i) {
    List<Held> held = new ArrayList<>();
    for (MonitorInfo m : i.getLockedMonitors()) {
      held.add(new Held(JvmObject.of(m), m.getLockedStackDepth()));
    }
    LockInfo lock = i.getLockInfo();
    return new JvmThread(
        i.getThreadId(),
        i.getThreadName() == null ? "" : i.getThreadName(),
        false,
        i.getThreadState(),
        Optional.ofNullable(lock).map(JvmObject::of),
        i.getThreadState() == Thread.State.BLOCKED,
        i.getLockOwnerId() >= 0 ? OptionalLong.of(i.getLockOwnerId()) : OptionalLong.empty(),
        held,
        List.of(i.getStackTrace()));
  }

  /** Its name as shown: an unnamed thread gets {@code virtual-<id>} or {@code thread-<id>}. */
  public String displayName() {
    return name.isBlank() ? (virtual ? "virtual-" : "thread-") + id : name;
  }

  /**
   * Where it took a monitor it holds: the {@code synchronized} statement around the line of the
   * frame that holds it (from the class file, see {@link MonitorLines}), else that frame's line.
   */
  Optional<Source> takenAt(Held held) {
    int depth = held.depth();
    if (depth < 0 || depth >= stack.size()) {
      return Optional.empty();
    }
    StackTraceElement f = stack.get(depth);
    List<Held> here = monitors.stream().filter(h -> h.depth() == depth).toList();
    List<Integer> lines =
        MonitorLines.taken(f, null, here.size(), depth == 0 && entering && waitsOn.isPresent());
    int index = here.indexOf(held);
    return Optional.of(lines.isEmpty() || index < 0 ? source(f) : source(f, lines.get(index)));
  }

  /**
   * Where the user's code waits: its {@link #userFrame()}, placed at the {@code synchronized}
   * statement when it is blocked entering one there (the JVM shows the line inside the block).
   */
  public Optional<Source> waitFrame() {
    if (entering && !stack.isEmpty() && !isJdkOrMoire(stack.get(0).getClassName())) {
      StackTraceElement top = stack.get(0);
      java.util.OptionalInt line = MonitorLines.entering(top, null);
      if (line.isPresent()) {
        return Optional.of(source(top, line.getAsInt()));
      }
    }
    return userFrame();
  }

  /**
   * Where the user's code is: the first frame outside the JDK and moire's runtime (a JDK type's
   * {@code await} is placed at the user's call, never at {@code Unsafe.park}).
   */
  public Optional<Source> userFrame() {
    for (StackTraceElement f : stack) {
      if (!isJdkOrMoire(f.getClassName())) {
        return Optional.of(source(f));
      }
    }
    return Optional.empty();
  }

  /** Whether a class is the JDK's or moire's runtime: never the user's line. */
  public static boolean isJdkOrMoire(String className) {
    return Source.isJdkClass(className)
        || className.startsWith("javax.")
        || className.startsWith("dev.moire.runtime.");
  }

  private static Source source(StackTraceElement f) {
    return SourceCapture.frames(new StackTraceElement[] {f}, 1).get(0);
  }

  private static Source source(StackTraceElement f, int line) {
    return source(
        new StackTraceElement(f.getClassName(), f.getMethodName(), f.getFileName(), line));
  }
}
