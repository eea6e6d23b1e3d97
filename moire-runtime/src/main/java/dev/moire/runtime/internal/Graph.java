package dev.moire.runtime.internal;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Event;
import dev.moire.model.EventBody;
import dev.moire.model.EventTarget;
import dev.moire.model.GraphState;
import dev.moire.model.PTime;
import dev.moire.model.RuntimeInfo;
import dev.moire.model.Scope;
import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import dev.moire.model.ScopeLink;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.internal.GuardedBy;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.NanoClock;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The live graph of one runtime, its journal and its id allocation.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>{@code lock} is a leaf: it is held only for in-memory updates of the fields it guards,
 *       never while blocking and never while running code from outside this class (mutate functions
 *       and subscribers run after it is released). So no user lock can be ordered against it.
 *   <li>Every change to {@code state} goes through {@link #emit}, which numbers it, applies it,
 *       appends it to the journal ring and queues it for every subscriber, all under {@code lock}:
 *       the journal is complete, in order and gap-free, and replaying it rebuilds {@code state}.
 *   <li>Subscribers receive changes in sequence order, one delivery at a time per subscriber, on
 *       moire's dispatch thread: never on the thread that made the change.
 *   <li>Faults of the bookkeeping are counted and logged, never thrown to the caller.
 *   <li>Unborn entities and scopes (issue 18: no shared lock on a task's submit/complete path). An
 *       entity created lazily has its id at once (names are counted without {@code lock}) but
 *       enters {@code state} only at its birth, under {@code lock}: when the graph is observed
 *       ({@link #flushDeferred}), when something waits on it or it waits ({@code waiting_on}
 *       edges), or when an eager change needs it (a link to a born scope's entity, an event written
 *       in a batch). Until then its body, its {@code polls}/{@code holds} edges, its scope links
 *       and its events are kept in the cell (under the cell's monitor) and its birth writes them,
 *       in that order, as ordinary journaled changes. An unborn entity that is closed leaves no
 *       trace: nobody could have seen it. A lazy scope is the same: born when an entity joins it or
 *       the graph is observed. So the journal still replays to exactly {@code state}, and a
 *       snapshot contains every entity created before it was cut.
 * </ul>
 *
 * <p>Recording without a shared lock (issue 18). {@code lock} is taken when the graph is observed,
 * when an entity or scope that is not lazy is created or removed, and on paths that already block
 * or are rare (a wait's edges, a body a primitive publishes when observed); never on a primitive's
 * uncontended operation. Each operation records into state owned by its primitive or its thread:
 * lock holders ({@link ExclusiveHold}), counted holds ({@link Holders}), event runs ({@link
 * dev.moire.runtime.EventBuffer}), bodies marked stale, unborn tasks and futures (above), and waits
 * in progress ({@link PendingWait}). Observing ({@link #flushDeferred}, before every snapshot)
 * materialises them in this order: births, then what primitives deferred, then the waits. So a
 * snapshot contains every entity created before it was cut, every hold and body as of the moment
 * its primitive was flushed, every event recorded before it (a run counted up to then), and every
 * wait in progress, each wait after the holds of its resource.
 */
public final class Graph {
  private static final System.Logger LOG = System.getLogger("dev.moire.runtime");

  /**
   * The graph's one lock. A {@link ReentrantLock} in use; a test may pass one that counts its
   * acquisitions, to prove that a primitive's uncontended operations never take it.
   */
  private final Lock lock;

  /** How many events an unborn entity keeps for its birth (the latest). */
  private static final int PENDING_EVENTS = 64;

  /**
   * Every scope open now, born or not, read without the lock: a scope a thread carries that is not
   * here has ended. (Live scopes, not removed ones: a task per submission opens and removes a scope
   * each, and a set of removed ones would grow for ever.)
   */
  private final java.util.Set<ScopeId> liveScopes =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Counts scope removals, read by any thread. */
  private final AtomicLong scopeEpoch = new AtomicLong();

  /**
   * Entities created lazily and not yet born, by id. Asked by key only, never {@code isEmpty()}: a
   * concurrent map's size is a sum of counters read one by one, so while other threads add and
   * remove, it can read zero with entries present, and an entity looked up as "none unborn" would
   * be born (taking the lock) or a scope left unborn forever.
   */
  private final ConcurrentHashMap<EntityId, EntityCell> unborn = new ConcurrentHashMap<>();

  /** Scopes opened lazily and not yet born, by id; asked by key only, as {@link #unborn}. */
  private final ConcurrentHashMap<ScopeId, Scope> unbornScopes = new ConcurrentHashMap<>();

  private final boolean enabled;
  private final RuntimeInfo info;
  private final NanoClock clock;
  private final long originNanos;
  private final AtomicLong faults = new AtomicLong();
  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  /** What primitives defer until someone looks, by entity; held weakly, dropped with the entity. */
  private final ConcurrentHashMap<EntityId, WeakReference<Deferred>> deferred =
      new ConcurrentHashMap<>();

  @GuardedBy("lock")
  private final GraphState state;

  @GuardedBy("lock")
  private final Change[] ring;

  @GuardedBy("lock")
  private int ringHead;

  @GuardedBy("lock")
  private int ringSize;

  @GuardedBy("lock")
  private long seq;

  @GuardedBy("lock")
  private long lastAt;

  /** Ids unique in the JVM (lock-free) and names unique in a test (under {@code lock}). */
  private final Names names = new Names();

  /** Creates an empty graph. */
  public Graph(
      boolean enabled, RuntimeInfo info, NanoClock clock, int journalCapacity, int eventCapacity) {
    this(enabled, info, clock, journalCapacity, eventCapacity, new ReentrantLock());
  }

  /** Creates an empty graph guarded by {@code lock} (a test's counting lock, say). */
  public Graph(
      boolean enabled,
      RuntimeInfo info,
      NanoClock clock,
      int journalCapacity,
      int eventCapacity,
      Lock lock) {
    this.lock = lock;
    this.enabled = enabled;
    this.info = info;
    this.clock = clock;
    this.originNanos = clock.nanoTime();
    this.state = new GraphState(eventCapacity);
    this.ring = new Change[enabled ? journalCapacity : 0];
  }

  /** Returns whether anything is recorded. */
  public boolean enabled() {
    return enabled;
  }

  /** Returns the runtime's identity. */
  public RuntimeInfo info() {
    return info;
  }

  /** Returns the time now, never before the last change's time. */
  public PTime now() {
    return PTime.ofNanos(Math.max(0, clock.nanoTime() - originNanos));
  }

  /** Returns the number of bookkeeping faults swallowed so far. */
  public long faultCount() {
    return faults.get();
  }

  /** Counts and logs a bookkeeping fault; the caller carries on as if nothing was recorded. */
  public void fault(Throwable t) {
    long n = faults.incrementAndGet();
    if (n <= 10) {
      LOG.log(System.Logger.Level.WARNING, "moire bookkeeping fault #" + n + " (ignored)", t);
    }
  }

  /**
   * Creates an entity with a unique name in its kind's family, linked to the given scopes. Disabled
   * graphs hand out a cell that records nothing.
   */
  public EntityCell createEntity(
      String name, EntityBody body, Source source, Collection<ScopeId> scopes) {
    if (!enabled) {
      return new EntityCell(this, body.kind().idFor(info.process(), name), name, body, source);
    }
    EntityCell cell;
    lock.lock();
    try {
      String family = body.kind().family();
      String unique = names.unique(family, name);
      cell = insertEntity(unique, names.inTest(family, name, unique, scopes), body, source, scopes);
    } finally {
      lock.unlock();
    }
    drain();
    return cell;
  }

  /**
   * Creates two entities sharing one unique name (the two endpoints of a channel), the first {@code
   * paired_with} the second.
   */
  public EntityCell[] createPair(
      String name, EntityBody first, EntityBody second, Source source, Collection<ScopeId> scopes) {
    if (!enabled) {
      return new EntityCell[] {
        new EntityCell(this, first.kind().idFor(info.process(), name), name, first, source),
        new EntityCell(this, second.kind().idFor(info.process(), name), name, second, source)
      };
    }
    EntityCell a;
    EntityCell b;
    lock.lock();
    try {
      String family = first.kind().family();
      String unique = names.unique(family, name);
      String shown = names.inTest(family, name, unique, scopes);
      a = insertEntity(unique, shown, first, source, scopes);
      b = insertEntity(unique, shown, second, source, scopes);
      emit(
          new ChangeBody.UpsertEdge(
              new Edge(a.id, b.id, EdgeKind.PAIRED_WITH, false, at(), Optional.empty())));
    } finally {
      lock.unlock();
    }
    drain();
    return new EntityCell[] {a, b};
  }

  /**
   * Creates another entity of a channel that exists: a second receiver of a watch, say. It shares
   * the channel's name; its id gets {@code #2}, {@code #3}... appended, and the peer is {@code
   * paired_with} it.
   */
  public EntityCell createPeer(
      EntityCell peer, EntityBody body, Source source, Collection<ScopeId> scopes) {
    EntityId base = body.kind().idFor(info.process(), peer.name);
    if (!enabled) {
      return new EntityCell(this, base, peer.name, body, source);
    }
    EntityCell cell;
    lock.lock();
    try {
      int n = names.next("peer", base.value());
      EntityId id = EntityId.of(base.value() + "#" + (n + 1));
      cell = new EntityCell(this, id, peer.name, body, source);
      bornLocked(peer.id);
      emit(new ChangeBody.UpsertEntity(new Entity(id, peer.name, source, at(), body)));
      for (ScopeId scope : scopes) {
        bornScopeLocked(scope);
        if (state.hasScope(scope)) {
          emit(new ChangeBody.LinkEntityScope(new ScopeLink(id, scope)));
        }
      }
      if (state.hasEntity(peer.id)) {
        emit(
            new ChangeBody.UpsertEdge(
                new Edge(peer.id, id, EdgeKind.PAIRED_WITH, false, at(), Optional.empty())));
      }
    } finally {
      lock.unlock();
    }
    drain();
    return cell;
  }

  /**
   * The unborn entity need not enter the graph when it is next observed: it leaves the list of
   * births (no lock: the list is concurrent; an observation that already took it bears it as
   * before). It still enters the graph if something waits on it. For a primitive whose entity
   * stopped mattering before anyone looked: a latch counted down to zero.
   */
  public void forgoBirth(EntityCell cell) {
    if (unborn.remove(cell.id, cell)) {
      deferred.remove(cell.id); // nothing of it is ever written: what it deferred goes too
    }
  }

  /**
   * Creates an entity lazily: its id now, without the graph's lock; the entity enters the graph at
   * its birth (see the class's invariants). For entities made on a hot path, such as a task per
   * submission. Disabled graphs hand out a cell that records nothing.
   */
  public EntityCell createEntityLazily(
      String name, EntityBody body, Source source, Collection<ScopeId> scopes) {
    if (!enabled) {
      return new EntityCell(this, body.kind().idFor(info.process(), name), name, body, source);
    }
    String family = body.kind().family();
    String unique = names.unique(family, name);
    EntityCell cell =
        new EntityCell(this, body.kind().idFor(info.process(), unique), unique, body, source);
    cell.unborn = new EntityCell.Unborn(family, name, scopes);
    unborn.put(cell.id, cell);
    return cell;
  }

  /** Creates the two entities of a pair lazily, as {@link #createPair} does eagerly. */
  public EntityCell[] createPairLazily(
      String name, EntityBody first, EntityBody second, Source source, Collection<ScopeId> scopes) {
    if (!enabled) {
      return createPair(name, first, second, source, scopes);
    }
    String family = first.kind().family();
    String unique = names.unique(family, name);
    EntityCell a =
        new EntityCell(this, first.kind().idFor(info.process(), unique), unique, first, source);
    EntityCell b =
        new EntityCell(this, second.kind().idFor(info.process(), unique), unique, second, source);
    EntityCell.Unborn ua = new EntityCell.Unborn(family, name, scopes);
    EntityCell.Unborn ub = new EntityCell.Unborn(family, name, scopes);
    ua.pairedWith = b;
    ub.pairOf = a;
    a.unborn = ua;
    b.unborn = ub;
    unborn.put(a.id, a);
    unborn.put(b.id, b);
    return new EntityCell[] {a, b};
  }

  /** Opens a scope lazily: its id now, without the graph's lock; the scope is born when needed. */
  public ScopeId openScopeLazily(String name, ScopeKind kind, Source source) {
    if (!enabled || kind == ScopeKind.TEST) {
      return openScope(name, kind, source);
    }
    return openUniqueScopeLazily(names.unique("scope/" + kind.wireName(), name), kind, source);
  }

  /**
   * Opens a scope lazily under a name that is unique already (a task's scope is named after its
   * task): no name is counted for it, so a scope per task submission leaves nothing behind.
   */
  public ScopeId openUniqueScopeLazily(String unique, ScopeKind kind, Source source) {
    ScopeId id = ScopeId.of(kind.wireName() + ":" + info.process() + ":" + unique);
    if (!enabled) {
      return id;
    }
    liveScopes.add(id);
    unbornScopes.put(id, new Scope(id, unique, kind, source, now()));
    return id;
  }

  /** Gives birth to every unborn entity and scope: the graph is about to be observed. */
  private void bornAll() {
    lock.lock();
    try {
      for (ScopeId scope : unbornScopes.keySet()) {
        bornScopeLocked(scope);
      }
      for (EntityCell cell : unborn.values()) {
        bornLocked(cell, null);
      }
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  @GuardedBy("lock")
  private void bornScopeLocked(ScopeId id) {
    Scope scope = unbornScopes.remove(id);
    if (scope != null) {
      emit(new ChangeBody.UpsertScope(scope));
    }
  }

  @GuardedBy("lock")
  private void bornLocked(EntityId id) {
    EntityCell cell = unborn.get(id);
    if (cell != null) {
      bornLocked(cell, null);
    }
  }

  /**
   * Writes an unborn entity to the graph with what was kept for it; the second end of a pair is
   * born with its first end, under the same name ({@code shown} for the second end).
   */
  @GuardedBy("lock")
  private void bornLocked(EntityCell cell, @Nullable String shown) {
    EntityCell first;
    synchronized (cell) {
      if (cell.unborn == null) {
        return;
      }
      first = shown == null ? cell.unborn.pairOf : null;
    }
    if (first != null) {
      bornLocked(first, null); // gives birth to this end too, unless the first end is gone
    }
    EntityCell.Unborn u;
    EntityBody body;
    synchronized (cell) {
      u = cell.unborn;
      if (u == null) {
        return;
      }
      cell.unborn = null;
      body = cell.body;
    }
    unborn.remove(cell.id, cell);
    if (u.deferred != null) {
      deferred.put(cell.id, u.deferred);
    }
    String name = shown != null ? shown : names.inTest(u.family, u.requested, cell.name, u.scopes);
    cell.name = name;
    emit(new ChangeBody.UpsertEntity(new Entity(cell.id, name, cell.source, at(), body)));
    for (ScopeId scope : u.scopes) {
      bornScopeLocked(scope);
      ScopeLink link = new ScopeLink(cell.id, scope);
      if (state.hasScope(scope) && !state.isLinked(link)) {
        emit(new ChangeBody.LinkEntityScope(link));
      }
    }
    EntityCell partner = u.pairedWith;
    if (partner != null) {
      bornLocked(partner, name);
      if (state.hasEntity(partner.id)) {
        emit(
            new ChangeBody.UpsertEdge(
                new Edge(
                    cell.id, partner.id, EdgeKind.PAIRED_WITH, false, at(), Optional.empty())));
      }
    }
    for (Edge e : u.edges()) {
      bornLocked(e.src().equals(cell.id) ? e.dst() : e.src());
      if (state.hasEntity(e.src()) && state.hasEntity(e.dst()) && state.edge(e.key()).isEmpty()) {
        emit(
            new ChangeBody.UpsertEdge(
                new Edge(e.src(), e.dst(), e.kind(), e.timed(), at(), e.source())));
      }
    }
    if (u.events != null && !u.events.isEmpty()) {
      EventTarget target = EventTarget.of(cell.id);
      for (EntityCell.PendingEvent ev : u.events()) {
        PTime at = at();
        PTime when = ev.at().nanos() <= at.nanos() ? ev.at() : at;
        emit(
            new ChangeBody.AppendEvent(new Event(seq + 1, target, when, ev.source(), ev.body())),
            at);
      }
    }
  }

  /** The end an edge is kept with while unborn: its destination if unborn, else its source. */
  private @Nullable EntityCell unbornEnd(EdgeKey key) {
    EntityCell u = unborn.get(key.dst());
    return u != null ? u : unborn.get(key.src());
  }

  /**
   * Keeps an edge for an unborn end (the destination if unborn, else the source); returns false
   * when neither end is unborn, and the edge must be written now.
   */
  private boolean keepForUnborn(Edge edge) {
    EntityCell u = unbornEnd(edge.key());
    if (u == null) {
      return false;
    }
    synchronized (u) {
      if (u.unborn == null) {
        return false;
      }
      List<Edge> edges = u.unborn.edges();
      EdgeKey key = edge.key();
      for (int i = 0; i < edges.size(); i++) {
        if (edges.get(i).key().equals(key)) {
          edges.set(i, edge);
          return true;
        }
      }
      edges.add(edge);
      return true;
    }
  }

  /** Removes an edge kept for an unborn end; returns false when it is not kept (or born). */
  private boolean dropForUnborn(EdgeKey key) {
    EntityCell u = unbornEnd(key);
    if (u == null) {
      return false;
    }
    synchronized (u) {
      if (u.unborn == null) {
        return false;
      }
      u.unborn.edges().removeIf(e -> e.key().equals(key));
      return true;
    }
  }

  @GuardedBy("lock")
  private EntityCell insertEntity(
      String unique, String shown, EntityBody body, Source source, Collection<ScopeId> scopes) {
    EntityId id = body.kind().idFor(info.process(), unique);
    EntityCell cell = new EntityCell(this, id, shown, body, source);
    emit(new ChangeBody.UpsertEntity(new Entity(id, shown, source, at(), body)));
    for (ScopeId scope : scopes) {
      bornScopeLocked(scope);
      if (state.hasScope(scope)) {
        emit(new ChangeBody.LinkEntityScope(new ScopeLink(id, scope)));
      }
    }
    return cell;
  }

  /**
   * Replaces a cell's body with {@code fn} applied to it; records nothing when the result equals
   * the current body or the entity is gone. {@code fn} runs outside the lock and may run more than
   * once under contention.
   */
  public boolean mutate(EntityCell cell, UnaryOperator<EntityBody> fn) {
    if (!enabled) {
      return false;
    }
    try {
      while (true) {
        EntityBody old = cell.body;
        EntityBody next = fn.apply(old);
        if (next == null) {
          throw new NullPointerException("mutate of '" + cell.id + "' returned null");
        }
        if (next.equals(old)) {
          return false;
        }
        if (next.kind() != old.kind()) {
          throw new IllegalArgumentException(
              "mutate of '"
                  + cell.id
                  + "' changed its kind from "
                  + old.kind()
                  + " to "
                  + next.kind());
        }
        synchronized (cell) {
          if (cell.unborn != null) {
            if (cell.body != old) {
              continue;
            }
            cell.body = next; // written at its birth
            return true;
          }
        }
        lock.lock();
        try {
          if (cell.removed) {
            return false;
          }
          if (cell.body != old) {
            continue;
          }
          cell.body = next;
          Entity current = state.entity(cell.id).orElseThrow();
          emit(new ChangeBody.UpsertEntity(current.withBody(next)));
        } finally {
          lock.unlock();
        }
        drain();
        return true;
      }
    } catch (RuntimeException e) {
      fault(e);
      return false;
    }
  }

  /** Removes an entity, first its edges and scope links, each as its own change. */
  void removeEntity(EntityCell cell) {
    if (!enabled) {
      cell.removed = true;
      return;
    }
    deferred.remove(cell.id);
    synchronized (cell) {
      if (cell.unborn != null) {
        // Never in the graph: nobody saw it, so it leaves no trace.
        cell.unborn = null;
        cell.removed = true;
        unborn.remove(cell.id, cell);
        return;
      }
    }
    lock.lock();
    try {
      if (cell.removed) {
        return;
      }
      cell.removed = true;
      List<EdgeKey> keys = new ArrayList<>(state.edgesOf(cell.id));
      keys.sort(null);
      for (EdgeKey key : keys) {
        emit(new ChangeBody.RemoveEdge(key));
      }
      List<ScopeId> scopes = new ArrayList<>(state.scopesOf(cell.id));
      scopes.sort(null);
      for (ScopeId scope : scopes) {
        emit(new ChangeBody.UnlinkEntityScope(new ScopeLink(cell.id, scope)));
      }
      emit(new ChangeBody.RemoveEntity(cell.id));
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  /**
   * Adds or updates an edge; nothing is recorded when an end is gone or the same edge (same timed
   * flag) is present already. Returns whether the edge is present afterwards.
   */
  public boolean upsertEdge(
      EntityId src, EntityId dst, EdgeKind kind, boolean timed, Optional<Source> source) {
    if (!enabled) {
      return false;
    }
    if (kind != EdgeKind.WAITING_ON
        && keepForUnborn(new Edge(src, dst, kind, timed, now(), source))) {
      return true;
    }
    boolean present;
    lock.lock();
    try {
      bornLocked(src);
      bornLocked(dst);
      if (!state.hasEntity(src) || !state.hasEntity(dst)) {
        return false;
      }
      EdgeKey key = new EdgeKey(src, dst, kind);
      Optional<Edge> existing = state.edge(key);
      if (existing.isEmpty() || existing.get().timed() != timed) {
        emit(new ChangeBody.UpsertEdge(new Edge(src, dst, kind, timed, at(), source)));
      }
      present = true;
    } catch (RuntimeException e) {
      fault(e);
      return false;
    } finally {
      lock.unlock();
    }
    drain();
    return present;
  }

  /** Removes an edge if present. */
  public void removeEdge(EdgeKey key) {
    if (!enabled || dropForUnborn(key)) {
      return;
    }
    lock.lock();
    try {
      if (state.edge(key).isPresent()) {
        emit(new ChangeBody.RemoveEdge(key));
      }
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** Opens a scope with a unique name among scopes of its kind and returns its id. */
  public ScopeId openScope(String name, ScopeKind kind, Source source) {
    if (!enabled) {
      return ScopeId.of(kind.wireName() + ":" + info.process() + ":" + name);
    }
    ScopeId id;
    lock.lock();
    try {
      String unique = names.unique("scope/" + kind.wireName(), name);
      id = ScopeId.of(kind.wireName() + ":" + info.process() + ":" + unique);
      liveScopes.add(id);
      emit(new ChangeBody.UpsertScope(new Scope(id, unique, kind, source, at())));
      if (kind == ScopeKind.TEST) {
        names.testOpened(id);
      }
    } finally {
      lock.unlock();
    }
    drain();
    return id;
  }

  /** Closes a scope, first unlinking its members, each as its own change. */
  public void removeScope(ScopeId id) {
    if (!enabled) {
      return;
    }
    if (unbornScopes.remove(id) != null) {
      // Never in the graph; threads that carry it still learn that it ended.
      liveScopes.remove(id);
      scopeEpoch.incrementAndGet();
      return;
    }
    lock.lock();
    try {
      if (!state.hasScope(id)) {
        return;
      }
      List<EntityId> members = new ArrayList<>(state.membersOf(id));
      members.sort(null);
      for (EntityId member : members) {
        emit(new ChangeBody.UnlinkEntityScope(new ScopeLink(member, id)));
      }
      emit(new ChangeBody.RemoveScope(id));
      names.scopeClosed(id);
      liveScopes.remove(id);
      scopeEpoch.incrementAndGet();
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  /**
   * Returns a number that changes whenever a scope is removed: a thread compares it with the one it
   * last saw to learn, with one volatile read, whether a scope it carries may have ended.
   */
  public long scopeEpoch() {
    return scopeEpoch.get();
  }

  /** How many scopes are open now, born or not. */
  public int liveScopeCount() {
    return liveScopes.size();
  }

  /** How many distinct names have been counted, in all families. */
  public int countedNames() {
    return names.countedNames();
  }

  /** Returns whether the scope was removed (its test ended); lock-free. */
  public boolean isRemovedScope(ScopeId id) {
    return enabled && !liveScopes.contains(id);
  }

  /** Links an entity to a scope; nothing happens when either is gone or they are linked. */
  public void link(EntityId entity, ScopeId scope) {
    changeLink(new ScopeLink(entity, scope), true);
  }

  /** Unlinks an entity from a scope; nothing happens when they are not linked. */
  public void unlink(EntityId entity, ScopeId scope) {
    changeLink(new ScopeLink(entity, scope), false);
  }

  private void changeLink(ScopeLink link, boolean linked) {
    if (!enabled) {
      return;
    }
    EntityCell u = unborn.get(link.entity());
    if (u != null) {
      synchronized (u) {
        if (u.unborn != null) {
          // Copied on change: the list an unborn entity starts from is shared (it is immutable).
          List<ScopeId> scopes = new ArrayList<>(u.unborn.scopes);
          if (!linked) {
            scopes.remove(link.scope());
          } else if (!scopes.contains(link.scope())) {
            scopes.add(link.scope());
          }
          u.unborn.scopes = List.copyOf(scopes);
          return;
        }
      }
    }
    lock.lock();
    try {
      bornLocked(link.entity());
      bornScopeLocked(link.scope());
      if (state.isLinked(link) == linked) {
        return;
      }
      if (linked && (!state.hasEntity(link.entity()) || !state.hasScope(link.scope()))) {
        return;
      }
      emit(linked ? new ChangeBody.LinkEntityScope(link) : new ChangeBody.UnlinkEntityScope(link));
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** Keeps an event for an unborn entity's birth; returns false when the entity is not unborn. */
  private boolean keepEventForUnborn(EntityCell cell, PTime at, Source source, EventBody body) {
    synchronized (cell) {
      if (cell.unborn == null) {
        return false;
      }
      List<EntityCell.PendingEvent> events = cell.unborn.events();
      if (events.size() >= PENDING_EVENTS) {
        events.remove(0); // the graph's event ring keeps the latest too
      }
      events.add(new EntityCell.PendingEvent(at, source, body));
      return true;
    }
  }

  /** Appends an event about a live entity or an open scope. */
  public void appendEvent(EventTarget target, Source source, EventBody body) {
    if (!enabled) {
      return;
    }
    if (target.kind() == EventTarget.Kind.ENTITY) {
      EntityCell u = unborn.get(EntityId.of(target.id()));
      if (u != null && keepEventForUnborn(u, now(), source, body)) {
        return;
      }
    }
    lock.lock();
    try {
      if (target.kind() == EventTarget.Kind.ENTITY) {
        bornLocked(EntityId.of(target.id()));
      } else {
        bornScopeLocked(ScopeId.of(target.id()));
      }
      boolean present =
          target.kind() == EventTarget.Kind.ENTITY
              ? state.hasEntity(EntityId.of(target.id()))
              : state.hasScope(ScopeId.of(target.id()));
      if (present) {
        emit(new ChangeBody.AppendEvent(new Event(seq + 1, target, at(), source, body)));
      }
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** Writes the tracked waits in progress when the graph is observed; set once by the runtime. */
  private volatile @Nullable Runnable showWaits;

  /** Sets what writes the waits in progress when the graph is observed (the thread contexts). */
  public void showWaitsWith(Runnable showWaits) {
    this.showWaits = showWaits;
  }

  /** Registers what a primitive defers for {@code entity}, replacing any earlier registration. */
  public void defer(EntityId entity, Deferred d) {
    if (!enabled) {
      return;
    }
    EntityCell u = unborn.get(entity);
    if (u != null) {
      synchronized (u) {
        if (u.unborn != null) {
          // Kept with the unborn entity, registered at its birth: most never are born.
          u.unborn.deferred = new WeakReference<>(d);
          return;
        }
      }
    }
    if (hasEntity(entity)) {
      deferred.put(entity, new WeakReference<>(d));
    }
  }

  /**
   * Has every primitive write what it deferred, so that the graph is complete from here on. Called
   * before a snapshot is cut and before ended threads are judged; never under {@code lock}.
   */
  public void flushDeferred() {
    bornAll();
    flushPrimitives();
    // The waits last: each is written after what its resource deferred (its holders, say).
    Runnable waits = showWaits;
    if (waits != null) {
      try {
        waits.run();
      } catch (RuntimeException e) {
        fault(e);
      }
    }
  }

  private void flushPrimitives() {
    for (Map.Entry<EntityId, WeakReference<Deferred>> e : deferred.entrySet()) {
      Deferred d = e.getValue().get();
      if (d == null) {
        deferred.remove(e.getKey(), e.getValue());
        continue;
      }
      try {
        d.flush();
      } catch (RuntimeException ex) {
        fault(ex);
      }
    }
  }

  /**
   * Returns the clock's reading, for times taken now and recorded later ({@link #appendEvents}).
   */
  public long clockNanos() {
    return clock.nanoTime();
  }

  /**
   * Appends {@code n} events recorded earlier, in order, under one acquisition of the lock: event
   * {@code i} is about {@code targets[i]}, happened at clock reading {@code nanos[i]} and came from
   * {@code sources[i]}. Events about entities that have left the graph are dropped.
   */
  public void appendEvents(
      EntityCell[] targets, EventBody[] bodies, Source[] sources, long[] nanos, int n) {
    if (!enabled || n == 0) {
      return;
    }
    int unbornKept = 0;
    for (int i = 0; i < n; i++) {
      if (keepEventForUnborn(
          targets[i], PTime.ofNanos(Math.max(0, nanos[i] - originNanos)), sources[i], bodies[i])) {
        targets[i] = null;
        unbornKept++;
      }
    }
    if (unbornKept == n) {
      return;
    }
    lock.lock();
    try {
      PTime at = at();
      long now = at.nanos();
      for (int i = 0; i < n; i++) {
        EntityCell cell = targets[i];
        if (cell == null) {
          continue; // kept for its unborn entity
        }
        bornLocked(cell, null);
        if (!cell.removed) {
          EventTarget target = cell.eventTarget;
          if (target == null) {
            target = cell.eventTarget = EventTarget.of(cell.id);
          }
          PTime when = PTime.ofNanos(Math.min(Math.max(0, nanos[i] - originNanos), now));
          emit(
              new ChangeBody.AppendEvent(new Event(seq + 1, target, when, sources[i], bodies[i])),
              at);
        }
      }
    } catch (RuntimeException e) {
      fault(e);
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** Returns whether the entity is in the graph. */
  public boolean hasEntity(EntityId id) {
    if (unborn.containsKey(id)) {
      return true;
    }
    lock.lock();
    try {
      return state.hasEntity(id);
    } finally {
      lock.unlock();
    }
  }

  /** Returns whether the entity is the source of an edge of the given kind. */
  public boolean hasEdgeFrom(EntityId src, EdgeKind kind) {
    lock.lock();
    try {
      for (EdgeKey key : state.edgesOf(src)) {
        if (key.kind() == kind && key.src().equals(src)) {
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether an ended task's entity is still evidence: it holds something, or it used a
   * channel sender that is still open (so a receiver waiting on that channel can be told who had
   * the sender and ended without closing it).
   */
  public boolean isEvidence(EntityId task) {
    lock.lock();
    try {
      for (EdgeKey key : state.edgesOf(task)) {
        if (!key.src().equals(task)) {
          continue;
        }
        if (key.kind() == EdgeKind.HOLDS) {
          return true;
        }
        if (key.kind() == EdgeKind.POLLS) {
          if (state.entity(key.dst()).map(d -> d.kind().isSender()).orElse(false)) {
            return true;
          }
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Returns a snapshot of the whole graph, cut now, with the given thread table. */
  public Snapshot snapshot(List<ThreadSnapshot> threads) {
    flushDeferred();
    lock.lock();
    try {
      return state.toSnapshot(info, at(), threads);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the part of the graph that belongs to {@code scope}, cut now. */
  public Snapshot snapshot(List<ThreadSnapshot> threads, ScopeId scope) {
    flushDeferred();
    lock.lock();
    try {
      return state.toSnapshot(info, at(), threads, scope);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the changes the journal still holds, oldest first. */
  public List<Change> journal() {
    lock.lock();
    try {
      List<Change> out = new ArrayList<>(ringSize);
      int start = Math.floorMod(ringHead - ringSize, Math.max(1, ring.length));
      for (int i = 0; i < ringSize; i++) {
        out.add(ring[(start + i) % ring.length]);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the sequence number of the last change, 0 if none. */
  public long lastSeq() {
    lock.lock();
    try {
      return seq;
    } finally {
      lock.unlock();
    }
  }

  /** Delivers every later change to {@code listener}, in order; returns the way to stop. */
  public Runnable subscribe(Consumer<? super Change> listener) {
    Subscriber s = new Subscriber(listener);
    subscribers.add(s);
    return () -> {
      s.active = false;
      subscribers.remove(s);
    };
  }

  @GuardedBy("lock")
  private PTime at() {
    long now = Math.max(lastAt, clock.nanoTime() - originNanos);
    lastAt = Math.max(0, now);
    return PTime.ofNanos(lastAt);
  }

  @GuardedBy("lock")
  private void emit(ChangeBody body) {
    emit(body, at());
  }

  /** Emits a change made at {@code at}, a time taken under this same hold of {@code lock}. */
  @GuardedBy("lock")
  private void emit(ChangeBody body, PTime at) {
    Change change = new Change(seq + 1, at, body);
    state.apply(change);
    seq = change.seq();
    ring[ringHead] = change;
    ringHead = (ringHead + 1) % ring.length;
    if (ringSize < ring.length) {
      ringSize++;
    }
    for (Subscriber s : subscribers) {
      s.queue.add(change);
    }
  }

  /**
   * Hands queued changes to subscribers on moire's dispatch thread, so that a caller recording a
   * change while holding a primitive's internal lock never runs subscriber code.
   */
  private void drain() {
    for (Subscriber s : subscribers) {
      if (!s.queue.isEmpty() && !s.draining.get()) {
        MoireThreads.DISPATCH.execute(() -> s.drain(this));
      }
    }
  }

  private static final class Subscriber {
    final Consumer<? super Change> listener;
    final ConcurrentLinkedQueue<Change> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean draining = new AtomicBoolean();
    volatile boolean active = true;

    Subscriber(Consumer<? super Change> listener) {
      this.listener = listener;
    }

    void drain(Graph graph) {
      while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        try {
          Change c;
          while ((c = queue.poll()) != null) {
            if (active) {
              try {
                listener.accept(c);
              } catch (RuntimeException e) {
                graph.fault(e);
              }
            }
          }
        } finally {
          draining.set(false);
        }
      }
    }
  }
}
