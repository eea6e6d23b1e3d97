package dev.moire.runtime.internal;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.ScopeId;
import dev.moire.model.ThreadSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The causal contexts of every thread that touched one runtime.
 *
 * <p>A thread started from a thread inherits its scopes (not its tasks): what a test's threads
 * create belongs to the test. Scopes end with their test: a thread that outlives it (a static
 * pool's, a library's) drops them at its next use of moire, so nothing of one test reaches the
 * next. A thread outside any tracked task is represented by a lazily created {@code thread} entity,
 * removed by {@link #reap()} once the thread has ended.
 */
public final class Contexts {
  private final Graph graph;
  private final ScopeId processScope;
  private final ConcurrentHashMap<Long, ThreadContext> live = new ConcurrentHashMap<>();

  /**
   * Threads that ended while their entity still held something (a lock, permits, a channel end) or
   * had sent on a channel that is still open: the entity stays, as evidence of a leaked hold or a
   * lost sender, until that is no longer so.
   */
  private final ConcurrentHashMap<Long, EntityCell> ended = new ConcurrentHashMap<>();

  private final InheritableThreadLocal<ThreadContext> local =
      new InheritableThreadLocal<>() {
        @Override
        protected ThreadContext initialValue() {
          return register(new ThreadContext(Thread.currentThread(), List.of()));
        }

        @Override
        protected ThreadContext childValue(ThreadContext parent) {
          // Runs on the parent thread while the child is constructed: the child registers a
          // context of its own on first use, starting from this placeholder's scopes.
          return ThreadContext.inherited(parent.scopes());
        }
      };

  /** The contexts of each live runtime, for the primitives' holders ({@link #of}). */
  private static final Map<Object, Contexts> BY_RUNTIME =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Records that {@code runtime}'s threads are these contexts; by the runtime, once. */
  public static void register(Object runtime, Contexts contexts) {
    BY_RUNTIME.put(runtime, contexts);
  }

  /** The runtime last looked up, and its contexts: nearly every lookup is of the one runtime. */
  private record Last(java.lang.ref.WeakReference<Object> runtime, Contexts contexts) {}

  private static volatile @Nullable Last last;

  /** Returns the contexts of {@code runtime}, or null for a runtime that records nothing. */
  static @Nullable Contexts of(Object runtime) {
    Last l = last;
    if (l != null && l.runtime().get() == runtime) {
      return l.contexts(); // no lock: a primitive per request asks here
    }
    Contexts c = BY_RUNTIME.get(runtime);
    if (c != null) {
      last = new Last(new java.lang.ref.WeakReference<>(runtime), c);
    }
    return c;
  }

  /** Creates the contexts of a runtime whose entities all join {@code processScope}. */
  public Contexts(Graph graph, ScopeId processScope) {
    this.graph = graph;
    this.processScope = processScope;
  }

  /** Returns the calling thread's context. */
  public ThreadContext current() {
    ThreadContext c = local.get();
    Thread me = Thread.currentThread();
    if (c.threadId != ThreadFacts.threadId(me)) {
      c = register(new ThreadContext(me, c.scopes()));
      local.set(c);
    }
    long epoch = graph.scopeEpoch();
    if (c.checkedEpoch != epoch) {
      c.checkedEpoch = epoch;
      c.dropEnded(graph);
    }
    return c;
  }

  /** Returns the scopes new entities of the calling thread join: the process, then its own. */
  public List<ScopeId> currentScopes() {
    ThreadContext c = current();
    List<ScopeId> view = c.scopesSeenFromOutside();
    List<ScopeId> out = c.withProcess;
    if (out == null || c.withProcessOf != view) {
      List<ScopeId> all = new ArrayList<>(view.size() + 1);
      all.add(processScope);
      all.addAll(view);
      out = List.copyOf(all);
      c.withProcess = out;
      c.withProcessOf = view;
    }
    return out;
  }

  /** Returns the calling thread's innermost task, or its thread entity, created if needed. */
  public Optional<EntityId> currentTask() {
    return currentTask(current());
  }

  /**
   * What {@link #currentTask()} answers for {@code c}, when it can be answered without any work;
   * null otherwise. Read on the context's own thread only.
   */
  static @Nullable Optional<EntityId> knownTask(ThreadContext c) {
    Optional<EntityId> answer = c.answer;
    if (answer != null) {
      EntityCell te = c.threadEntity;
      if (c.currentTask() != null || (te != null && !te.isRemoved())) {
        return answer;
      }
    }
    return null;
  }

  /** The current task of the calling thread, whose context is {@code c}. */
  Optional<EntityId> currentTask(ThreadContext c) {
    Optional<EntityId> known = knownTask(c);
    if (known != null) {
      return known;
    }
    EntityId task = c.currentTask();
    if (task != null) {
      c.answer = Optional.of(task);
      return c.answer;
    }
    EntityCell te = c.threadEntity;
    if (te == null || te.isRemoved()) {
      Thread t = Thread.currentThread();
      String name = ThreadFacts.displayName(t);
      te =
          graph.createEntity(
              name,
              new EntityBody.Thread(name, ThreadFacts.isVirtual(t)),
              SourceCapture.caller(),
              currentScopes());
      c.threadEntity = te;
      c.running = te.id();
    }
    c.answer = Optional.of(te.id());
    return c.answer;
  }

  /**
   * Records that the calling thread's current task begins a tracked wait on {@code resource}; its
   * edges are written when the graph is observed while it lasts. Returns the wait, to {@link
   * #endWait} it.
   */
  public PendingWait beginWait(EntityId task, EntityId resource, boolean timed) {
    ThreadContext c = current();
    PendingWait w =
        new PendingWait(
            task,
            resource,
            timed,
            Thread.currentThread(),
            inTest(c) ? SourceCapture.caller() : null,
            c.waiting);
    c.waiting = w;
    return w;
  }

  /** How a test scope's id begins (see {@link Graph#openScope}). */
  private static final String TEST_SCOPE = dev.moire.model.ScopeKind.TEST.wireName() + ":";

  /** Whether the thread is in a test's scope: its waits are then placed as they begin. */
  private static boolean inTest(ThreadContext c) {
    for (ScopeId s : c.scopesSeenFromOutside()) { // no copy: on the path about to block
      if (s.value().startsWith(TEST_SCOPE)) {
        return true;
      }
    }
    return false;
  }

  /** Ends a wait begun by {@link #beginWait} on the calling thread. */
  public void endWait(PendingWait w) {
    ThreadContext c = current();
    if (c.waiting == w) {
      c.waiting = w.outer;
    }
    w.end();
  }

  /** Writes the edges of every tracked wait in progress: the graph is being observed. */
  public void showWaits() {
    for (ThreadContext c : live.values()) {
      for (PendingWait w = c.waiting; w != null; w = w.outer) {
        w.show(graph);
      }
    }
  }

  /**
   * Removes the entities of threads that have ended, except those that still hold something, which
   * stay (shown as {@code TERMINATED}) until they hold nothing; returns how many were removed.
   */
  public int reap() {
    int n = 0;
    boolean newlyEnded = false;
    for (ThreadContext c : live.values()) {
      Thread t = c.thread.get();
      if (t == null || !t.isAlive()) {
        live.remove(c.threadId, c);
        EntityCell te = c.threadEntity;
        if (te != null) {
          c.threadEntity = null;
          ended.put(c.threadId, te);
          newlyEnded = true;
        }
      }
    }
    if (newlyEnded) {
      // A lock the thread still held may not be in the graph yet; without its holds edge the
      // thread would not count as evidence of a leaked hold.
      graph.flushDeferred();
    }
    for (Map.Entry<Long, EntityCell> e : ended.entrySet()) {
      EntityCell te = e.getValue();
      if (!graph.isEvidence(te.id()) && ended.remove(e.getKey(), te)) {
        te.release();
        n++;
      }
    }
    return n;
  }

  /**
   * Returns the thread table: every live thread that touched this runtime, plus {@code extra}
   * threads (tracked or not, alive or ended), each with the entity it is running.
   */
  public List<ThreadSnapshot> threadTable(Collection<Thread> extra) {
    return threadTable(c -> true, extra);
  }

  private List<ThreadSnapshot> threadTable(
      java.util.function.Predicate<ThreadContext> include, Collection<Thread> extra) {
    Map<Long, ThreadSnapshot> rows = new HashMap<>();
    Map<Long, ThreadFacts.Row> toDescribe = new java.util.LinkedHashMap<>();
    for (ThreadContext c : live.values()) {
      Thread t = c.thread.get();
      if (t != null && t.isAlive() && !MoireThreads.isMoireThread(t) && include.test(c)) {
        toDescribe.put(c.threadId, new ThreadFacts.Row(t, Optional.ofNullable(c.running)));
      }
    }
    for (Map.Entry<Long, EntityCell> e : ended.entrySet()) {
      EntityCell te = e.getValue();
      if (!toDescribe.containsKey(e.getKey()) && te.body() instanceof EntityBody.Thread body) {
        rows.put(
            e.getKey(),
            new ThreadSnapshot(
                e.getKey(),
                body.threadName(),
                body.virtual(),
                Thread.State.TERMINATED,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.of(te.id())));
      }
    }
    for (Thread t : extra) {
      long id = ThreadFacts.threadId(t);
      if (!toDescribe.containsKey(id) && !rows.containsKey(id) && !MoireThreads.isMoireThread(t)) {
        ThreadContext c = live.get(id);
        EntityId running = c != null && c.thread.get() == t ? c.running : null;
        toDescribe.put(id, new ThreadFacts.Row(t, Optional.ofNullable(running)));
      }
    }
    // One pause of the JVM for every platform thread's state and frames, not one per thread.
    for (ThreadSnapshot row : ThreadFacts.describeAll(new ArrayList<>(toDescribe.values()))) {
      rows.put(row.threadId(), row);
    }
    return new ArrayList<>(rows.values());
  }

  /**
   * Returns the thread table of one scope: the live threads whose context is in {@code scope}, the
   * ended threads kept as evidence, and {@code extra} threads (tracked or not).
   */
  public List<ThreadSnapshot> threadTable(ScopeId scope, Collection<Thread> extra) {
    return threadTable(c -> c.scopesSeenFromOutside().contains(scope), extra);
  }

  /**
   * Returns the scopes a thread is in, as far as this runtime knows; empty if the thread never
   * touched it.
   */
  public Optional<List<ScopeId>> scopesOf(Thread thread) {
    ThreadContext c = live.get(ThreadFacts.threadId(thread));
    return c != null && c.thread.get() == thread
        ? Optional.of(c.scopesSeenFromOutside())
        : Optional.empty();
  }

  private ThreadContext register(ThreadContext c) {
    live.put(c.threadId, c);
    return c;
  }
}
