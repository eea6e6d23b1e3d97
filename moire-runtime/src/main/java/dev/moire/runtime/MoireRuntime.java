package dev.moire.runtime;

import dev.moire.model.Change;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.OperationSite;
import dev.moire.model.PTime;
import dev.moire.model.RuntimeInfo;
import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.Contexts;
import dev.moire.runtime.internal.EntityCell;
import dev.moire.runtime.internal.Graph;
import dev.moire.runtime.internal.JvmLocks;
import dev.moire.runtime.internal.JvmThread;
import dev.moire.runtime.internal.MoireThreads;
import dev.moire.runtime.internal.PendingWait;
import dev.moire.runtime.internal.SiteTally;
import dev.moire.runtime.internal.SourceCapture;
import dev.moire.runtime.internal.ThreadContext;
import dev.moire.runtime.internal.ThreadDump;
import dev.moire.runtime.internal.ThreadSignals;
import dev.moire.runtime.internal.Waits;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The live graph of tracked entities, with its change journal and the causal context of every
 * thread: the heart of moire.
 *
 * <p>There is one {@linkplain #global() global} runtime per JVM, configured by system properties
 * ({@code moire.enabled=false} turns all tracking into pass-through). moire's own tests build
 * separate runtimes with an injected clock:
 *
 * <pre>{@code
 * MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults(), fakeClock);
 * try (EntityHandle<EntityBody.Lock> lock =
 *     runtime.createEntity("accounts", new EntityBody.Lock(EntityBody.LockKind.MUTEX))) {
 *   Snapshot now = runtime.snapshot();
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe. The runtime's internal lock is a leaf: it is never held while
 * blocking or while running code that is not moire's, so tracking adds no lock-order hazard.
 */
public final class MoireRuntime {
  private static final long REAP_INTERVAL_MS = 100;

  private final RuntimeSettings settings;
  private final Graph graph;
  private final Contexts contexts;
  private final ScopeHandle processScope;
  private final Waits waits = new Waits();

  /**
   * Where futures were completed, by the line that made them (a line each, so bounded by the code):
   * see {@link #recordCompletion}.
   */
  private final ConcurrentHashMap<Source, SiteTally> completions = new ConcurrentHashMap<>();

  private MoireRuntime(RuntimeSettings settings, NanoClock clock) {
    this(settings, clock, new java.util.concurrent.locks.ReentrantLock());
  }

  private MoireRuntime(
      RuntimeSettings settings, NanoClock clock, java.util.concurrent.locks.Lock graphLock) {
    this.settings = settings;
    long pid = ProcessHandle.current().pid();
    RuntimeInfo info =
        new RuntimeInfo(settings.processName().orElse("p" + pid), pid, System.currentTimeMillis());
    this.graph =
        new Graph(
            settings.enabled(),
            info,
            clock,
            settings.journalCapacity(),
            settings.eventCapacity(),
            graphLock);
    String processName = info.process();
    ScopeId scope = graph.openScope(processName, ScopeKind.PROCESS, Source.UNKNOWN);
    this.processScope = new ScopeHandle(graph, scope, processName, ScopeKind.PROCESS);
    this.contexts = new Contexts(graph, scope);
    graph.showWaitsWith(contexts::showWaits);
    if (settings.enabled()) {
      Contexts.register(this, contexts);
    }
    if (settings.enabled()) {
      Housekeeping.start(this);
    }
  }

  /**
   * Returns the JVM's runtime, created on first use from the system properties (see {@link
   * RuntimeSettings#fromProperties}).
   *
   * @throws IllegalArgumentException on first use, if a {@code moire.*} property is invalid
   */
  public static MoireRuntime global() {
    return Global.INSTANCE;
  }

  /** Creates a separate runtime, on the system clock. */
  public static MoireRuntime create(RuntimeSettings settings) {
    return create(settings, NanoClock.SYSTEM);
  }

  /** Creates a separate runtime on the given clock. */
  public static MoireRuntime create(RuntimeSettings settings, NanoClock clock) {
    Checks.notNull(settings, "settings");
    Checks.notNull(clock, "clock");
    return new MoireRuntime(settings, clock);
  }

  /**
   * Creates a runtime whose graph is guarded by {@code graphLock}: for tests that count how often
   * the graph's one lock is taken.
   */
  static MoireRuntime createWithGraphLock(
      RuntimeSettings settings, java.util.concurrent.locks.Lock graphLock) {
    return new MoireRuntime(settings, NanoClock.SYSTEM, graphLock);
  }

  /**
   * Returns whether the entity is in the graph, or about to enter it (created lazily and not
   * closed). Takes the graph's lock unless the entity is unborn: for observers, not hot paths.
   */
  public boolean hasEntity(EntityId id) {
    return settings.enabled() && graph.hasEntity(id);
  }

  Graph graph() {
    return graph;
  }

  /** Returns the settings this runtime was created with. */
  public RuntimeSettings settings() {
    return settings;
  }

  /** Returns whether this runtime records anything. */
  public boolean isEnabled() {
    return settings.enabled();
  }

  /** Returns this runtime's identity: process name, pid and wall-clock anchor. */
  public RuntimeInfo info() {
    return graph.info();
  }

  /** Returns the time now, in this runtime's {@link PTime}. */
  public PTime now() {
    return graph.now();
  }

  /** Returns the id of the process scope every entity joins. */
  public ScopeId processScope() {
    return processScope.id();
  }

  /**
   * Creates an entity whose source is the caller, linked to the caller's current scopes. A name
   * used before in the same family gets {@code #2}, {@code #3}... appended.
   *
   * @throws NullPointerException if {@code name} or {@code body} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <B extends EntityBody> EntityHandle<B> createEntity(String name, B body) {
    // A disabled runtime records nothing: the stack walk for the source would be its whole cost.
    return createEntity(
        name, body, settings.enabled() ? SourceCapture.creation(name) : Source.UNKNOWN);
  }

  /**
   * Creates an entity with an explicit source, linked to the caller's current scopes.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <B extends EntityBody> EntityHandle<B> createEntity(String name, B body, Source source) {
    Checks.notBlank(name, "entity name");
    Checks.notNull(body, "entity body");
    Checks.notNull(source, "entity source");
    return new EntityHandle<>(graph.createEntity(name, body, source, scopesForNewEntity()));
  }

  /**
   * Creates an entity as {@link #createEntity(String, EntityBody, Source)} does, lazily: its id is
   * given now, without the graph's lock, and the entity enters the graph only when something needs
   * it there (the graph is observed, something waits on it or it waits). Until then its body,
   * edges, scope links and events are kept with it; closed before that, it leaves no trace. For
   * entities made on a hot path: a task per submission, a future per call.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <B extends EntityBody> EntityHandle<B> createEntityLazily(
      String name, B body, Source source) {
    Checks.notBlank(name, "entity name");
    Checks.notNull(body, "entity body");
    Checks.notNull(source, "entity source");
    return new EntityHandle<>(graph.createEntityLazily(name, body, source, scopesForNewEntity()));
  }

  /**
   * Creates a pair as {@link #createPair} does, lazily (see {@link #createEntityLazily}): both ends
   * enter the graph together, when either is needed there.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank or the bodies are not of one family
   */
  public <A extends EntityBody, B extends EntityBody> EntityPair<A, B> createPairLazily(
      String name, A first, B second, Source source) {
    checkPair(name, first, second);
    Checks.notNull(source, "entity source");
    EntityCell[] cells = graph.createPairLazily(name, first, second, source, scopesForNewEntity());
    return new EntityPair<>(new EntityHandle<>(cells[0]), new EntityHandle<>(cells[1]));
  }

  /**
   * Creates two entities under one unique name, the first {@code paired_with} the second: the two
   * endpoints of a channel. Both get the caller's source and scopes.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank or the bodies are not of one family
   *     (such as {@code mpsc_tx} and {@code mpsc_rx})
   */
  public <A extends EntityBody, B extends EntityBody> EntityPair<A, B> createPair(
      String name, A first, B second) {
    checkPair(name, first, second);
    EntityCell[] cells =
        graph.createPair(
            name,
            first,
            second,
            settings.enabled() ? SourceCapture.creation(name) : Source.UNKNOWN,
            scopesForNewEntity());
    return new EntityPair<>(new EntityHandle<>(cells[0]), new EntityHandle<>(cells[1]));
  }

  private static void checkPair(String name, EntityBody first, EntityBody second) {
    Checks.notBlank(name, "entity name");
    Checks.notNull(first, "first body");
    Checks.notNull(second, "second body");
    if (!first.kind().family().equals(second.kind().family())) {
      throw new IllegalArgumentException(
          "a pair must be of one family: " + first.kind() + " and " + second.kind());
    }
  }

  /**
   * Creates another entity of an existing channel, such as a second watch receiver: it shares the
   * name of {@code peer}, gets an id with {@code #2}, {@code #3}... appended, and {@code peer} is
   * {@code paired_with} it. Its source is the caller.
   *
   * @throws IllegalArgumentException if {@code body} is not of the peer's family
   * @throws IllegalStateException if {@code peer} is closed
   */
  public <B extends EntityBody> EntityHandle<B> createPeer(EntityHandle<?> peer, B body) {
    Checks.notNull(peer, "peer");
    Checks.notNull(body, "body");
    Checks.state(!peer.isClosed(), "entity '" + peer.id() + "' is closed");
    if (!peer.kind().family().equals(body.kind().family())) {
      throw new IllegalArgumentException(
          "a peer must be of one family: " + peer.kind() + " and " + body.kind());
    }
    return new EntityHandle<>(
        graph.createPeer(peer.cell(), body, SourceCapture.caller(), scopesForNewEntity()));
  }

  /**
   * Opens a scope whose source is the caller.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ScopeHandle openScope(String name, ScopeKind kind) {
    return openScope(name, kind, SourceCapture.caller());
  }

  /**
   * Opens a scope lazily (see {@link #createEntityLazily}): its id now, without the graph's lock;
   * the scope enters the graph when an entity joins it or the graph is observed. A test scope is
   * always opened at once.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ScopeHandle openScopeLazily(String name, ScopeKind kind, Source source) {
    Checks.notBlank(name, "scope name");
    Checks.notNull(kind, "scope kind");
    Checks.notNull(source, "scope source");
    ScopeId id = graph.openScopeLazily(name, kind, source);
    return new ScopeHandle(graph, id, name, kind);
  }

  /**
   * Opens, lazily, the scope of one run of {@code task}, named after the task: its name is unique
   * already, so nothing is counted for it (a task per submission would otherwise leave a count
   * behind each).
   */
  public ScopeHandle openTaskScope(EntityHandle<EntityBody.Future> task) {
    Checks.notNull(task, "task");
    ScopeId id = graph.openUniqueScopeLazily(task.name(), ScopeKind.TASK, task.source());
    return new ScopeHandle(graph, id, task.name(), ScopeKind.TASK);
  }

  /**
   * Opens a scope with an explicit source.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ScopeHandle openScope(String name, ScopeKind kind, Source source) {
    Checks.notBlank(name, "scope name");
    Checks.notNull(kind, "scope kind");
    Checks.notNull(source, "scope source");
    ScopeId id = graph.openScope(name, kind, source);
    return new ScopeHandle(graph, id, name, kind);
  }

  /**
   * Returns the task the calling thread works for: the innermost tracked task it entered, or else
   * the {@code thread} entity that stands for the thread (created on first use, removed after the
   * thread ends). Empty when the runtime is disabled.
   */
  public Optional<EntityId> currentTask() {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    try {
      return contexts.currentTask();
    } catch (RuntimeException e) {
      graph.fault(e);
      return Optional.empty();
    }
  }

  /**
   * Makes {@code task} the calling thread's current task until the returned token is closed.
   *
   * @throws IllegalStateException if the task's handle is closed
   */
  public ContextToken enterTask(EntityHandle<EntityBody.Future> task) {
    Checks.notNull(task, "task");
    Checks.state(!task.isClosed(), "entity '" + task.id() + "' is closed");
    if (!settings.enabled()) {
      return new Token(() -> {});
    }
    ThreadContext c = contexts.current();
    EntityId id = task.id();
    c.pushTask(id);
    return new Token(() -> c.popTask(id));
  }

  /**
   * Adds {@code scope} to the calling thread's current scopes until the returned token is closed:
   * entities created meanwhile, also by threads started meanwhile, join it.
   *
   * @throws IllegalStateException if the scope's handle is closed
   */
  public ContextToken enterScope(ScopeHandle scope) {
    Checks.notNull(scope, "scope");
    Checks.state(!scope.isClosed(), "scope '" + scope.id() + "' is closed");
    if (!settings.enabled()) {
      return new Token(() -> {});
    }
    ThreadContext c = contexts.current();
    ScopeId id = scope.id();
    c.pushScope(id);
    return new Token(() -> c.popScope(id));
  }

  /**
   * Adds the given scopes to the calling thread's current scopes until the returned token is
   * closed, as a tracked executor does to run a task in its submitter's scopes. Scopes already
   * current, and the process scope, are not added twice.
   */
  public ContextToken enterScopes(List<ScopeId> scopes) {
    Checks.notNull(scopes, "scopes");
    if (!settings.enabled()) {
      return new Token(() -> {});
    }
    ThreadContext c = contexts.current();
    List<ScopeId> current = c.scopes();
    List<ScopeId> added = new java.util.ArrayList<>();
    for (ScopeId id : scopes) {
      if (!id.equals(processScope.id()) && !current.contains(id) && !added.contains(id)) {
        c.pushScope(id);
        added.add(id);
      }
    }
    return new Token(
        () -> {
          for (int i = added.size() - 1; i >= 0; i--) {
            c.popScope(added.get(i));
          }
        });
  }

  /** Returns the scopes a new entity of the calling thread joins: the process scope first. */
  public List<ScopeId> currentScopes() {
    return settings.enabled() ? contexts.currentScopes() : List.of();
  }

  /**
   * Returns the caller's source for an operation when per-operation sources are enabled, else empty
   * (creation sources are always captured).
   */
  public Optional<Source> operationSource() {
    return settings.enabled() && settings.perOperationSources()
        ? Optional.of(SourceCapture.caller())
        : Optional.empty();
  }

  /**
   * Records that the current thread, at the line {@code at}, completed a future made at the line
   * {@code creation}: a future of the same line that someone waits on then names its would-be
   * completer ({@link #completionsOfFuturesMadeAt}). Tracked futures call it when the completing
   * line is known (code rewritten by moire-agent, or per-operation sources). Lock-free; nothing new
   * to record costs no allocation. Nothing is kept when moire is disabled.
   */
  public void recordCompletion(Source creation, Source at) {
    Checks.notNull(creation, "creation");
    Checks.notNull(at, "at");
    if (!settings.enabled()) {
      return;
    }
    SiteTally tally = completions.get(creation);
    if (tally == null) {
      tally = completions.computeIfAbsent(creation, c -> new SiteTally());
    }
    tally.record(at);
  }

  /**
   * Where futures made at the line {@code creation} were completed, and by which threads, as {@link
   * #recordCompletion} recorded it: the first few lines, the first few threads each.
   */
  public List<OperationSite> completionsOfFuturesMadeAt(Source creation) {
    SiteTally tally = completions.get(Checks.notNull(creation, "creation"));
    return tally == null ? List.of() : tally.sites();
  }

  /**
   * Begins a tracked blocking wait of the current task on {@code resource}: the task {@code polls}
   * the resource and is {@code waiting_on} it (marked timed for a wait with a timeout) until the
   * token is closed, with the caller's source, and the wait is abortable by {@link #abortWaits}.
   * Tracked primitives call this just before they block. The edges are recorded lazily: they are
   * written when the graph is observed (a snapshot) while the wait lasts, so a wait that ends
   * before anyone looks costs no change of the graph.
   *
   * @throws IllegalStateException if {@code resource} is closed
   * @throws Error the harness's error, if the waits of the calling thread's scope are aborted
   */
  public WaitToken beginWait(EntityHandle<?> resource, boolean timed) {
    Checks.notNull(resource, "resource");
    return beginWait(resource.id(), timed);
  }

  /**
   * Begins a tracked blocking wait on the entity with the given id, as {@link
   * #beginWait(EntityHandle, boolean)} does; if the entity has left the graph, the wait is still
   * abortable but draws no edge.
   *
   * @throws Error the harness's error, if the waits of the calling thread's scope are aborted
   */
  public WaitToken beginWait(EntityId resource, boolean timed) {
    Checks.notNull(resource, "resource");
    long start = System.nanoTime();
    if (!settings.enabled()) {
      return new Wait(start, null, List.of());
    }
    List<ScopeId> scopes = contexts.currentScopes();
    waits.register(scopes);
    try {
      Optional<EntityId> task = currentTask();
      PendingWait pending = null;
      if (task.isPresent()) {
        // The edges are written when the graph is observed while the wait lasts (issue 18), with
        // the line where it blocks, the one a person needs to read first, read from the thread's
        // stack then: a wait that ends before anyone looks costs neither a change nor a stack walk.
        pending = contexts.beginWait(task.get(), resource, timed);
      }
      return new Wait(start, pending, scopes);
    } catch (RuntimeException e) {
      waits.unregister();
      graph.fault(e);
      return new Wait(start, null, List.of());
    }
  }

  /**
   * Aborts every tracked wait, now and until {@link #clearAbort}, of the threads in {@code scope}:
   * each throws {@code error} instead of blocking. The harness uses this to unwind a deadlocked
   * test. Returns how many waits were interrupted.
   */
  public int abortWaits(ScopeId scope, Error error) {
    Checks.notNull(scope, "scope");
    Checks.notNull(error, "error");
    return waits.abort(scope, error);
  }

  /** Lets the threads of {@code scope} wait again after {@link #abortWaits}. */
  public void clearAbort(ScopeId scope) {
    Checks.notNull(scope, "scope");
    waits.clear(scope);
  }

  /** Returns the threads in a tracked wait in {@code scope} right now. */
  public List<Thread> threadsWaitingIn(ScopeId scope) {
    Checks.notNull(scope, "scope");
    return waits.waitingIn(scope);
  }

  /**
   * Returns the whole graph now, with a thread table of every live thread that has used this
   * runtime.
   */
  public Snapshot snapshot() {
    return snapshot(List.of());
  }

  /**
   * Returns the whole graph now, with a thread table of every live thread that has used this
   * runtime plus the given threads (tracked or not).
   */
  public Snapshot snapshot(Collection<Thread> alsoThreads) {
    Checks.notNull(alsoThreads, "threads");
    if (settings.enabled()) {
      contexts.reap();
    }
    Snapshot s = graph.snapshot(settings.enabled() ? contexts.threadTable(alsoThreads) : List.of());
    return settings.enabled() ? ThreadSignals.addTo(JvmLocks.addTo(s)) : s;
  }

  /**
   * Returns the part of the graph that belongs to {@code scope} (a test's), cut now: the scope's
   * entities and those one edge away, the edges among them, and a thread table of the threads in
   * the scope plus the given threads (tracked or not). Its cost is that of the part, not of the
   * whole graph.
   */
  public Snapshot snapshot(ScopeId scope, Collection<Thread> alsoThreads) {
    Checks.notNull(scope, "scope");
    Checks.notNull(alsoThreads, "threads");
    if (!settings.enabled()) {
      return graph.snapshot(List.of(), scope);
    }
    // The JVM's own locks among the test's threads join the snapshot, at observation time only.
    return ThreadSignals.addTo(JvmLocks.addTo(scoped(scope, alsoThreads)));
  }

  /**
   * Returns the part of the graph that belongs to {@code scope}, as {@link #snapshot(ScopeId,
   * Collection)} does, with the JVM's whole evidence on its threads: every monitor each holds, and
   * on JDK 21+ the JVM's own thread dump, whose virtual threads that {@code virtualThreads} accepts
   * (by id) join the thread table, with the monitors they hold and the monitors and locks they wait
   * on: the only view of virtual threads the runtime does not track. A dump of every thread of the
   * JVM, so for a verdict or for stored evidence, not for every observation.
   */
  public Snapshot snapshotWithJvmEvidence(
      ScopeId scope, Collection<Thread> alsoThreads, LongPredicate virtualThreads) {
    Checks.notNull(scope, "scope");
    Checks.notNull(alsoThreads, "threads");
    Checks.notNull(virtualThreads, "virtual thread filter");
    if (!settings.enabled()) {
      return snapshot(scope, alsoThreads);
    }
    Snapshot s = scoped(scope, alsoThreads);
    Optional<List<JvmThread>> dump = ThreadDump.take();
    return ThreadSignals.addTo(
        dump.isPresent()
            ? JvmLocks.addTo(s, dump.get(), virtualThreads)
            : JvmLocks.addTo(s, List.of(), id -> false));
  }

  private Snapshot scoped(ScopeId scope, Collection<Thread> alsoThreads) {
    contexts.reap();
    Snapshot s = graph.snapshot(contexts.threadTable(scope, alsoThreads), scope);
    java.util.Set<EntityId> ids = new java.util.HashSet<>();
    s.entities().forEach(e -> ids.add(e.id()));
    return s.withThreadsWhere(t -> t.entity().map(ids::contains).orElse(true));
  }

  /**
   * Returns the scopes the given thread is in, as far as this runtime knows (a thread that never
   * touched the runtime is unknown). The harness uses it to tell a test's threads from another's.
   */
  public Optional<List<ScopeId>> scopesOf(Thread thread) {
    Checks.notNull(thread, "thread");
    return settings.enabled() ? contexts.scopesOf(thread) : Optional.empty();
  }

  /** Returns the changes the journal still holds, oldest first. */
  public List<Change> journal() {
    return graph.journal();
  }

  /** Returns the sequence number of the last change, 0 if none. */
  public long lastSeq() {
    return graph.lastSeq();
  }

  /**
   * Delivers every later change to {@code listener}, in sequence order, one at a time, on moire's
   * dispatch thread (never on the thread that made the change). A listener that throws is counted
   * as a fault and keeps receiving.
   */
  public Subscription subscribe(Consumer<? super Change> listener) {
    Checks.notNull(listener, "listener");
    Runnable stop = graph.subscribe(listener);
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        stop.run();
      }
    };
  }

  /**
   * Removes the {@code thread} entities of threads that have ended, now; housekeeping also does it
   * every {@value #REAP_INTERVAL_MS} ms. Returns how many were removed.
   */
  public int reapEndedThreads() {
    return settings.enabled() ? contexts.reap() : 0;
  }

  /** Returns how many internal faults of the bookkeeping were swallowed (and logged). */
  public long faultCount() {
    return graph.faultCount();
  }

  @Override
  public String toString() {
    return "MoireRuntime[" + info().process() + (settings.enabled() ? "]" : ", disabled]");
  }

  private List<ScopeId> scopesForNewEntity() {
    if (!settings.enabled()) {
      return List.of();
    }
    try {
      return contexts.currentScopes();
    } catch (RuntimeException e) {
      graph.fault(e);
      return List.of(processScope.id());
    }
  }

  private static final class Global {
    static final MoireRuntime INSTANCE =
        new MoireRuntime(RuntimeSettings.fromProperties(System.getProperties()), NanoClock.SYSTEM);
  }

  /** One tracked wait. */
  private final class Wait implements WaitToken {
    private final long start;
    private final @Nullable PendingWait pending;
    private final List<ScopeId> scopes;
    private boolean closed;

    Wait(long start, @Nullable PendingWait pending, List<ScopeId> scopes) {
      this.start = start;
      this.pending = pending;
      this.scopes = scopes;
    }

    @Override
    public InterruptedException interrupted(InterruptedException e) {
      checkAborted();
      return e;
    }

    @Override
    public void checkAborted() {
      Error error = waits.abortFor(scopes);
      if (error != null) {
        throw error;
      }
    }

    @Override
    public long elapsedNanos() {
      return System.nanoTime() - start;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (!scopes.isEmpty()) {
        waits.unregister();
      }
      if (pending != null) {
        try {
          contexts.endWait(pending);
        } catch (RuntimeException e) {
          graph.fault(e);
        }
      }
    }
  }

  /** A token that runs its exit once, on the thread that entered. */
  private static final class Token implements ContextToken {
    private final Runnable exit;
    private final Thread owner = Thread.currentThread();
    private final AtomicBoolean closed = new AtomicBoolean();

    Token(Runnable exit) {
      this.exit = exit;
    }

    @Override
    public void close() {
      Checks.state(
          Thread.currentThread() == owner,
          "context token closed on thread '"
              + Thread.currentThread().getName()
              + "' but entered on '"
              + owner.getName()
              + "'");
      Checks.state(closed.compareAndSet(false, true), "context token is already closed");
      exit.run();
    }
  }

  /** Reaps ended threads of live runtimes periodically, without keeping a runtime alive. */
  private static final class Housekeeping implements Runnable {
    private final WeakReference<MoireRuntime> runtime;
    private volatile ScheduledFuture<?> future;

    private Housekeeping(MoireRuntime runtime) {
      this.runtime = new WeakReference<>(runtime);
    }

    static void start(MoireRuntime runtime) {
      Housekeeping h = new Housekeeping(runtime);
      h.future =
          MoireThreads.HOUSEKEEPING.scheduleWithFixedDelay(
              h, REAP_INTERVAL_MS, REAP_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      MoireRuntime r = runtime.get();
      if (r == null) {
        ScheduledFuture<?> f = future;
        if (f != null) {
          f.cancel(false);
        }
        return;
      }
      try {
        r.contexts.reap();
      } catch (RuntimeException e) {
        r.graph.fault(e);
      }
    }
  }
}
