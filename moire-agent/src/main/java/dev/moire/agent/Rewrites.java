package dev.moire.agent;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * What the agent rewrites, in one table: the JDK types whose allocations become moire's drop-ins
 * (with the constructors both have), and the JDK factory calls that become calls of {@code
 * AgentBridges} (same name, same arguments, the allocation site's name appended), the few instance
 * calls whose line moire keeps ({@code countDown}, {@code complete}, {@code completeExceptionally},
 * {@code Thread.start}, {@code notify}, {@code notifyAll}), and the calls that submit a task to an
 * executor, which say their line before they run.
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
   * argument and the call's line its last: where a latch is counted down, a future completed, a
   * thread started, a monitor notified. {@code owner} null: a final method of {@code Object}
   * ({@code notify}), whatever type the call names as its owner.
   */
  record Operation(@Nullable String owner, String name, String descriptor) {
    /** The bridge's descriptor: the receiver, the JDK method's arguments, then {@code String}. */
    String bridgeDescriptor() {
      String receiver = owner == null ? "java/lang/Object" : owner;
      return "(L" + receiver + ";" + Rewrites.bridgeDescriptor(descriptor).substring(1);
    }

    String key() {
      return (owner == null ? "*" : owner) + '.' + name + descriptor;
    }
  }

  /** Every bridged instance call (invoked virtually on exactly its owner, if it names one). */
  static final List<Operation> OPERATIONS =
      List.of(
          new Operation(C + "CountDownLatch", "countDown", "()V"),
          new Operation(C + "CompletableFuture", "complete", "(Ljava/lang/Object;)Z"),
          new Operation(
              C + "CompletableFuture", "completeExceptionally", "(Ljava/lang/Throwable;)Z"),
          new Operation("java/lang/Thread", "start", "()V"),
          new Operation(null, "notify", "()V"),
          new Operation(null, "notifyAll", "()V"));

  private static final Map<String, Operation> OPERATION_KEYS =
      OPERATIONS.stream()
          .collect(Collectors.toUnmodifiableMap(Operation::key, Function.identity()));

  /** The bridged operation a virtual call of {@code owner.name descriptor} is, if any. */
  static @Nullable Operation operation(String owner, String name, String descriptor) {
    Operation exact = OPERATION_KEYS.get(owner + '.' + name + descriptor);
    return exact != null ? exact : OPERATION_KEYS.get("*." + name + descriptor);
  }

  /**
   * Whether a method name is that of a bridged operation whatever its owner: a class that calls
   * {@code this.notify()} names no class of the table.
   */
  static boolean isAnyOwnerOperation(String name) {
    return OPERATIONS.stream().anyMatch(o -> o.owner() == null && o.name().equals(name));
  }

  /** {@code AgentBridges.submitting(String)}: the line of the task about to be submitted. */
  static final String SUBMITTING_METHOD = "submitting";

  /** {@code AgentBridges.submitted()}: forgets that line if no tracked executor took it. */
  static final String SUBMITTED_METHOD = "submitted";

  /** The executor types whose task-submitting calls tell the task their line. */
  private static final Set<String> EXECUTORS =
      Set.of(
          C + "Executor",
          C + "ExecutorService",
          C + "ScheduledExecutorService",
          C + "AbstractExecutorService",
          C + "ThreadPoolExecutor",
          C + "ScheduledThreadPoolExecutor");

  private static final Set<String> SUBMITS =
      Set.of(
          "execute",
          "submit",
          "invokeAll",
          "invokeAny",
          "schedule",
          "scheduleAtFixedRate",
          "scheduleWithFixedDelay");

  /**
   * Whether a call submits a task to an executor ({@code pool.submit(job)}): the rewritten code
   * says the call's line just before it, so that a tracked executor's task is named after it
   * without walking the stack, and forgets it just after.
   */
  static boolean isSubmit(int opcode, String owner, String name) {
    return (opcode == Opcodes.INVOKEINTERFACE || opcode == Opcodes.INVOKEVIRTUAL)
        && EXECUTORS.contains(owner)
        && SUBMITS.contains(name);
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
        || internalName.equals(C + "CompletableFuture")
        || internalName.equals("java/lang/Thread")
        || EXECUTORS.contains(internalName);
  }

  private Rewrites() {}
}
