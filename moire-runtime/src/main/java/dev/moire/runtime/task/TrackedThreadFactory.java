package dev.moire.runtime.task;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Makes threads that each run as a tracked task (a {@code future} entity named after the thread),
 * in the scopes of the thread that created them: platform threads, or virtual threads on JDK 21+.
 *
 * <pre>{@code
 * ExecutorService pool =
 *     Executors.newFixedThreadPool(4, TrackedThreadFactory.platform("worker"));
 * }</pre>
 */
public final class TrackedThreadFactory implements ThreadFactory {
  private static final @Nullable VirtualThreads VIRTUAL = findVirtualBuilder();

  private final MoireRuntime runtime;
  private final String prefix;
  private final boolean virtual;
  private final AtomicInteger count = new AtomicInteger();
  private final Set<TaskRun> pending = ConcurrentHashMap.newKeySet();

  private TrackedThreadFactory(MoireRuntime runtime, String prefix, boolean virtual) {
    this.runtime = Checks.notNull(runtime, "runtime");
    this.prefix = Checks.notBlank(prefix, "thread name prefix");
    this.virtual = virtual;
  }

  /**
   * Returns a factory of platform threads named {@code prefix-1}, {@code prefix-2}... in the global
   * runtime.
   *
   * @throws IllegalArgumentException if {@code prefix} is blank
   */
  public static TrackedThreadFactory platform(String prefix) {
    return new TrackedThreadFactory(MoireRuntime.global(), prefix, false);
  }

  /**
   * Returns a factory of platform threads in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code prefix} is blank
   */
  public static TrackedThreadFactory platform(MoireRuntime runtime, String prefix) {
    return new TrackedThreadFactory(runtime, prefix, false);
  }

  /**
   * Returns a factory of virtual threads in the global runtime.
   *
   * @throws UnsupportedOperationException before JDK 21
   * @throws IllegalArgumentException if {@code prefix} is blank
   */
  public static TrackedThreadFactory virtual(String prefix) {
    return virtual(MoireRuntime.global(), prefix);
  }

  /**
   * Returns a factory of virtual threads in {@code runtime}.
   *
   * @throws UnsupportedOperationException before JDK 21
   * @throws IllegalArgumentException if {@code prefix} is blank
   */
  public static TrackedThreadFactory virtual(MoireRuntime runtime, String prefix) {
    if (VIRTUAL == null) {
      throw new UnsupportedOperationException(
          "virtual threads need JDK 21 or newer; this is JDK " + Runtime.version().feature());
    }
    return new TrackedThreadFactory(runtime, prefix, true);
  }

  @Override
  public Thread newThread(Runnable r) {
    Checks.notNull(r, "runnable");
    String name = prefix + "-" + count.incrementAndGet();
    TaskRun run = new TaskRun(runtime, name, pending);
    Runnable body =
        () -> {
          try {
            run.run(
                () -> {
                  r.run();
                  return null;
                });
          } catch (RuntimeException | Error e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    Thread t;
    if (virtual && VIRTUAL != null) {
      try {
        t = VIRTUAL.create(name, body);
      } catch (ReflectiveOperationException e) {
        run.finish();
        throw new IllegalStateException("cannot create virtual thread '" + name + "'", e);
      }
    } else {
      t = new Thread(body, name);
    }
    return t;
  }

  @Override
  public String toString() {
    return "TrackedThreadFactory[" + prefix + (virtual ? ", virtual]" : "]");
  }

  /** {@code Thread.ofVirtual()}, {@code Builder.name(String)}, {@code Builder.unstarted(..)}. */
  private static final class VirtualThreads {
    final Method ofVirtual;
    final Method name;
    final Method unstarted;

    VirtualThreads(Method ofVirtual, Method name, Method unstarted) {
      this.ofVirtual = ofVirtual;
      this.name = name;
      this.unstarted = unstarted;
    }

    Thread create(String threadName, Runnable body) throws ReflectiveOperationException {
      Object builder = name.invoke(ofVirtual.invoke(null), threadName);
      return (Thread) unstarted.invoke(builder, body);
    }
  }

  /** Finds the JDK 21 virtual-thread builder; null on older JDKs. */
  private static @Nullable VirtualThreads findVirtualBuilder() {
    try {
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      return new VirtualThreads(
          Thread.class.getMethod("ofVirtual"),
          builder.getMethod("name", String.class),
          builder.getMethod("unstarted", Runnable.class));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
