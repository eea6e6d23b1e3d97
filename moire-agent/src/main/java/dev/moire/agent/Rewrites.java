package dev.moire.agent;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the agent rewrites, in one table: the JDK types whose allocations become moire's drop-ins
 * (with the constructors both have), and the JDK factory calls that become calls of {@code
 * AgentBridges} (same name, same arguments, the allocation site's name appended), and the few
 * instance calls whose line the drop-ins keep ({@code countDown}, {@code complete}).
 *
 * <p>Anything not in this table is left alone: a type the agent cannot substitute (a user's
 * subclass of {@code ReentrantLock}, a constructor the drop-in lacks, a method reference to a
 * constructor) is still seen through the JVM's own evidence.
 */
final class Rewrites {
  /** The runtime's class the rewritten code calls (internal name). */
  static final String BRIDGES = "dev/moire/runtime/agent/AgentBridges";

  /** {@code AgentBridges.site(String)}: names the next drop-in constructed on this thread. */
  static final String SITE_METHOD = "site";

  static final String SITE_DESCRIPTOR = "(Ljava/lang/String;)V";

  /** A JDK class whose allocations become its drop-in's, for the constructors both declare. */
  record DropIn(String jdk, String tracked, Set<String> constructors) {}

  private static final String C = "java/util/concurrent/";
  private static final String TF = "L" + C + "ThreadFactory;";
  private static final String BQ = "L" + C + "BlockingQueue;";
  private static final String REH = "L" + C + "RejectedExecutionHandler;";
  private static final String TPE_HEAD = "(IIJL" + C + "TimeUnit;" + BQ;

  /** Every substitution, keyed by the JDK class's internal name. */
  static final Map<String, DropIn> DROP_INS =
      Stream.of(
              new DropIn(
                  C + "locks/ReentrantLock",
                  "dev/moire/runtime/sync/TrackedLock",
                  Set.of("()V", "(Z)V")),
              new DropIn(
                  C + "locks/ReentrantReadWriteLock",
                  "dev/moire/runtime/sync/TrackedReadWriteLock",
                  Set.of("()V", "(Z)V")),
              new DropIn(
                  C + "Semaphore",
                  "dev/moire/runtime/sync/TrackedSemaphore",
                  Set.of("(I)V", "(IZ)V")),
              new DropIn(
                  C + "CountDownLatch",
                  "dev/moire/runtime/sync/TrackedCountDownLatch",
                  Set.of("(I)V")),
              new DropIn(
                  C + "CyclicBarrier",
                  "dev/moire/runtime/sync/TrackedCyclicBarrier",
                  Set.of("(I)V", "(ILjava/lang/Runnable;)V")),
              new DropIn(
                  C + "ArrayBlockingQueue",
                  "dev/moire/runtime/channel/TrackedArrayBlockingQueue",
                  Set.of("(I)V", "(IZ)V", "(IZLjava/util/Collection;)V")),
              new DropIn(
                  C + "LinkedBlockingQueue",
                  "dev/moire/runtime/channel/TrackedLinkedBlockingQueue",
                  Set.of("()V", "(I)V", "(Ljava/util/Collection;)V")),
              new DropIn(
                  C + "LinkedBlockingDeque",
                  "dev/moire/runtime/channel/TrackedLinkedBlockingDeque",
                  Set.of("()V", "(I)V", "(Ljava/util/Collection;)V")),
              new DropIn(
                  C + "CompletableFuture",
                  "dev/moire/runtime/task/TrackedCompletableFuture",
                  Set.of("()V")),
              new DropIn(
                  C + "ThreadPoolExecutor",
                  "dev/moire/runtime/task/TrackedThreadPoolExecutor",
                  Set.of(
                      TPE_HEAD + ")V",
                      TPE_HEAD + TF + ")V",
                      TPE_HEAD + REH + ")V",
                      TPE_HEAD + TF + REH + ")V")),
              new DropIn(
                  C + "ScheduledThreadPoolExecutor",
                  "dev/moire/runtime/task/TrackedScheduledThreadPoolExecutor",
                  Set.of("(I)V", "(I" + TF + ")V", "(I" + REH + ")V", "(I" + TF + REH + ")V")))
          .collect(Collectors.toUnmodifiableMap(DropIn::jdk, Function.identity()));

  /** A static JDK call that becomes the bridge of the same name with the site's name appended. */
  record Bridged(String owner, String name, String descriptor) {
    /** The bridge's descriptor: the JDK method's with a trailing {@code String}. */
    String bridgeDescriptor() {
      int close = descriptor.indexOf(')');
      return descriptor.substring(0, close) + "Ljava/lang/String;" + descriptor.substring(close);
    }
  }

  private static final String ES = ")L" + C + "ExecutorService;";
  private static final String SES = ")L" + C + "ScheduledExecutorService;";
  private static final String CF = ")L" + C + "CompletableFuture;";
  private static final String EX = "L" + C + "Executor;";

  /** Every bridged call. */
  static final List<Bridged> BRIDGED =
      List.of(
          new Bridged(C + "Executors", "newFixedThreadPool", "(I" + ES),
          new Bridged(C + "Executors", "newFixedThreadPool", "(I" + TF + ES),
          new Bridged(C + "Executors", "newSingleThreadExecutor", "(" + ES),
          new Bridged(C + "Executors", "newSingleThreadExecutor", "(" + TF + ES),
          new Bridged(C + "Executors", "newCachedThreadPool", "(" + ES),
          new Bridged(C + "Executors", "newCachedThreadPool", "(" + TF + ES),
          new Bridged(C + "Executors", "newScheduledThreadPool", "(I" + SES),
          new Bridged(C + "Executors", "newScheduledThreadPool", "(I" + TF + SES),
          new Bridged(C + "Executors", "newSingleThreadScheduledExecutor", "(" + SES),
          new Bridged(C + "Executors", "newSingleThreadScheduledExecutor", "(" + TF + SES),
          new Bridged(
              C + "CompletableFuture", "supplyAsync", "(Ljava/util/function/Supplier;" + CF),
          new Bridged(
              C + "CompletableFuture", "supplyAsync", "(Ljava/util/function/Supplier;" + EX + CF),
          new Bridged(C + "CompletableFuture", "runAsync", "(Ljava/lang/Runnable;" + CF),
          new Bridged(C + "CompletableFuture", "runAsync", "(Ljava/lang/Runnable;" + EX + CF));

  /**
   * An instance call that becomes the static bridge of the same name, the receiver its first
   * argument and the call's line its last: where a latch is counted down, a future completed.
   */
  record Operation(String owner, String name, String descriptor) {
    /** The bridge's descriptor: the receiver, the JDK method's arguments, then {@code String}. */
    String bridgeDescriptor() {
      return "(L" + owner + ";" + Rewrites.bridgeDescriptor(descriptor).substring(1);
    }
  }

  /** Every bridged instance call (invoked virtually on exactly this owner). */
  static final List<Operation> OPERATIONS =
      List.of(
          new Operation(C + "CountDownLatch", "countDown", "()V"),
          new Operation(C + "CompletableFuture", "complete", "(Ljava/lang/Object;)Z"),
          new Operation(
              C + "CompletableFuture", "completeExceptionally", "(Ljava/lang/Throwable;)Z"));

  private static final Map<String, Operation> OPERATION_KEYS =
      OPERATIONS.stream()
          .collect(
              Collectors.toUnmodifiableMap(
                  o -> o.owner() + '.' + o.name() + o.descriptor(), Function.identity()));

  /** The bridged operation a virtual call of {@code owner.name descriptor} is, if any. */
  static @Nullable Operation operation(String owner, String name, String descriptor) {
    return OPERATION_KEYS.get(owner + '.' + name + descriptor);
  }

  private static final Set<String> BRIDGED_KEYS =
      BRIDGED.stream()
          .map(b -> b.owner() + '.' + b.name() + b.descriptor())
          .collect(Collectors.toUnmodifiableSet());

  /** Whether a static call of {@code owner.name descriptor} goes through a bridge. */
  static boolean isBridged(String owner, String name, String descriptor) {
    return BRIDGED_KEYS.contains(owner + '.' + name + descriptor);
  }

  /** The bridge's descriptor for a bridged call's: the same with a trailing {@code String}. */
  static String bridgeDescriptor(String descriptor) {
    return new Bridged("", "", descriptor).bridgeDescriptor();
  }

  /** Whether a class (internal name) appears in the table: a quick test of a class's references. */
  static boolean mentions(String internalName) {
    return DROP_INS.containsKey(internalName)
        || internalName.equals(C + "Executors")
        || internalName.equals(C + "CompletableFuture");
  }

  private Rewrites() {}
}
