package dev.moire.model;

import dev.moire.model.ChangeBody.AppendEvent;
import dev.moire.model.ChangeBody.LinkEntityScope;
import dev.moire.model.ChangeBody.RemoveEdge;
import dev.moire.model.ChangeBody.RemoveEntity;
import dev.moire.model.ChangeBody.RemoveScope;
import dev.moire.model.ChangeBody.UnlinkEntityScope;
import dev.moire.model.ChangeBody.UpsertEdge;
import dev.moire.model.ChangeBody.UpsertEntity;
import dev.moire.model.ChangeBody.UpsertScope;
import dev.moire.model.internal.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A graph built by applying {@link Change}s in sequence: the one definition of what a change does.
 * The live runtime keeps its graph in one of these, and replaying a journal into a fresh one
 * rebuilds the same graph.
 *
 * <p>Rules: removing an entity removes its edges and scope links; removing a scope removes its
 * links; an edge or link whose ends are not (or no longer) present is ignored; the most recent
 * {@code eventCapacity} events are kept. Changes must come in sequence without a gap.
 *
 * <p>Not thread-safe: the owner serialises access.
 */
public final class GraphState {
  private final int eventCapacity;
  private long lastSeq;
  private PTime lastAt = PTime.ZERO;
  private final Map<EntityId, Entity> entities = new HashMap<>();
  private final Map<ScopeId, Scope> scopes = new HashMap<>();
  private final Map<EdgeKey, Edge> edges = new HashMap<>();
  private final Map<EntityId, Set<EdgeKey>> edgesByEntity = new HashMap<>();
  private final Map<EntityId, Set<ScopeId>> scopesByEntity = new HashMap<>();
  private final Map<ScopeId, Set<EntityId>> entitiesByScope = new HashMap<>();
  private final ArrayDeque<Event> events = new ArrayDeque<>();

  /**
   * Creates an empty graph that expects change 1 next.
   *
   * @param eventCapacity how many recent events to keep
   * @throws IllegalArgumentException if {@code eventCapacity} is negative
   */
  public GraphState(int eventCapacity) {
    this.eventCapacity = Checks.nonNegative(eventCapacity, "event capacity");
  }

  /**
   * Creates a graph holding a snapshot's contents, expecting the change after the snapshot's
   * sequence number next. The thread table is not part of the graph.
   *
   * @param eventCapacity how many recent events to keep
   * @throws IllegalArgumentException if {@code eventCapacity} is negative
   */
  public static GraphState of(Snapshot snapshot, int eventCapacity) {
    GraphState g = new GraphState(eventCapacity);
    g.lastSeq = snapshot.seq();
    g.lastAt = snapshot.at();
    snapshot.entities().forEach(e -> g.entities.put(e.id(), e));
    snapshot.scopes().forEach(s -> g.scopes.put(s.id(), s));
    snapshot.edges().forEach(g::putEdge);
    snapshot.links().forEach(g::putLink);
    snapshot.events().forEach(g::putEvent);
    return g;
  }

  /** Returns the sequence number of the last change applied, 0 if none. */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * Applies the next change.
   *
   * @throws IllegalArgumentException if {@code change} is not the next in sequence
   */
  public void apply(Change change) {
    Checks.notNull(change, "change");
    if (change.seq() != lastSeq + 1) {
      throw new IllegalArgumentException(
          "change out of sequence: expected #" + (lastSeq + 1) + " but got #" + change.seq());
    }
    lastSeq = change.seq();
    lastAt = change.at();
    ChangeBody body = change.body();
    if (body instanceof UpsertEntity c) {
      entities.put(c.entity().id(), c.entity());
    } else if (body instanceof RemoveEntity c) {
      removeEntity(c.id());
    } else if (body instanceof UpsertScope c) {
      scopes.put(c.scope().id(), c.scope());
    } else if (body instanceof RemoveScope c) {
      removeScope(c.id());
    } else if (body instanceof LinkEntityScope c) {
      putLink(c.link());
    } else if (body instanceof UnlinkEntityScope c) {
      removeLink(c.link());
    } else if (body instanceof UpsertEdge c) {
      putEdge(c.edge());
    } else if (body instanceof RemoveEdge c) {
      removeEdge(c.key());
    } else if (body instanceof AppendEvent c) {
      putEvent(c.event());
    } else {
      throw new AssertionError("unknown change kind: " + body);
    }
  }

  /** Returns the entity with the given id, if present. */
  public Optional<Entity> entity(EntityId id) {
    return Optional.ofNullable(entities.get(id));
  }

  /** Returns whether the entity is present. */
  public boolean hasEntity(EntityId id) {
    return entities.containsKey(id);
  }

  /** Returns whether the scope is present. */
  public boolean hasScope(ScopeId id) {
    return scopes.containsKey(id);
  }

  /** Returns the edge with the given key, if present. */
  public Optional<Edge> edge(EdgeKey key) {
    return Optional.ofNullable(edges.get(key));
  }

  /** Returns the keys of the edges touching an entity, in no particular order. */
  public Set<EdgeKey> edgesOf(EntityId id) {
    return Set.copyOf(edgesByEntity.getOrDefault(id, Set.of()));
  }

  /** Returns whether the entity is linked to the scope. */
  public boolean isLinked(ScopeLink link) {
    return scopesByEntity.getOrDefault(link.entity(), Set.of()).contains(link.scope());
  }

  /** Returns the scopes an entity is linked to, in no particular order. */
  public Set<ScopeId> scopesOf(EntityId id) {
    return Set.copyOf(scopesByEntity.getOrDefault(id, Set.of()));
  }

  /** Returns the entities linked to a scope, in no particular order. */
  public Set<EntityId> membersOf(ScopeId id) {
    return Set.copyOf(entitiesByScope.getOrDefault(id, Set.of()));
  }

  /** Returns the number of entities present. */
  public int entityCount() {
    return entities.size();
  }

  /** Returns the number of edges present. */
  public int edgeCount() {
    return edges.size();
  }

  /** Returns a snapshot of the whole graph as of the last change, with the given thread table. */
  public Snapshot toSnapshot(RuntimeInfo runtime, List<ThreadSnapshot> threads) {
    return toSnapshot(runtime, lastAt, threads);
  }

  /** Returns a snapshot of the whole graph, cut at {@code at}, with the given thread table. */
  public Snapshot toSnapshot(RuntimeInfo runtime, PTime at, List<ThreadSnapshot> threads) {
    List<ScopeLink> links = new ArrayList<>();
    scopesByEntity.forEach((e, ss) -> ss.forEach(s -> links.add(new ScopeLink(e, s))));
    links.sort(Comparator.naturalOrder());
    List<ThreadSnapshot> sortedThreads = new ArrayList<>(threads);
    sortedThreads.sort(Comparator.comparingLong(ThreadSnapshot::threadId));
    return new Snapshot(
        runtime,
        lastSeq,
        at,
        sorted(entities.values(), Comparator.comparing(Entity::id)),
        sorted(scopes.values(), Comparator.comparing(Scope::id)),
        links,
        sorted(edges.values(), Comparator.comparing(Edge::key)),
        List.copyOf(events),
        sortedThreads);
  }

  /**
   * Returns the part of the graph that belongs to one scope, cut at {@code at}: the scope's
   * members, the entities one edge away from them (the lock a test's task waits on may belong to no
   * test), the other ends of the channels among those (a channel is never cut in half: a receiver
   * without its sender would read as a dangling one), the edges among those, their scopes and
   * links, and the events about them. The cost is that of the part, not of the whole graph.
   */
  public Snapshot toSnapshot(
      RuntimeInfo runtime, PTime at, List<ThreadSnapshot> threads, ScopeId scope) {
    Set<EntityId> members = entitiesByScope.getOrDefault(scope, Set.of());
    Set<EntityId> ids = new HashSet<>(members);
    for (EntityId id : members) {
      for (EdgeKey key : edgesByEntity.getOrDefault(id, Set.of())) {
        ids.add(key.src());
        ids.add(key.dst());
      }
    }
    for (EntityId id : new ArrayList<>(ids)) {
      for (EdgeKey key : edgesByEntity.getOrDefault(id, Set.of())) {
        if (key.kind() == EdgeKind.PAIRED_WITH) {
          ids.add(key.src());
          ids.add(key.dst());
        }
      }
    }
    List<Entity> es = new ArrayList<>(ids.size());
    Set<EdgeKey> keys = new HashSet<>();
    Set<ScopeId> scopeIds = new HashSet<>();
    List<ScopeLink> links = new ArrayList<>();
    scopeIds.add(scope);
    for (EntityId id : ids) {
      Entity e = entities.get(id);
      if (e == null) {
        continue;
      }
      es.add(e);
      for (EdgeKey key : edgesByEntity.getOrDefault(id, Set.of())) {
        if (ids.contains(key.src()) && ids.contains(key.dst())) {
          keys.add(key);
        }
      }
      for (ScopeId s : scopesByEntity.getOrDefault(id, Set.of())) {
        scopeIds.add(s);
        links.add(new ScopeLink(id, s));
      }
    }
    es.sort(Comparator.comparing(Entity::id));
    links.sort(Comparator.naturalOrder());
    List<Edge> edgeList = new ArrayList<>(keys.size());
    for (EdgeKey key : keys) {
      edgeList.add(edges.get(key));
    }
    edgeList.sort(Comparator.comparing(Edge::key));
    List<Scope> ss = new ArrayList<>();
    for (ScopeId s : scopeIds) {
      Scope sc = scopes.get(s);
      if (sc != null) {
        ss.add(sc);
      }
    }
    ss.sort(Comparator.comparing(Scope::id));
    List<Event> evs = new ArrayList<>();
    for (Event ev : events) {
      if (ev.target().kind() == EventTarget.Kind.ENTITY
          ? ids.contains(new EntityId(ev.target().id()))
          : scopeIds.contains(new ScopeId(ev.target().id()))) {
        evs.add(ev);
      }
    }
    List<ThreadSnapshot> sortedThreads = new ArrayList<>(threads);
    sortedThreads.sort(Comparator.comparingLong(ThreadSnapshot::threadId));
    return new Snapshot(runtime, lastSeq, at, es, ss, links, edgeList, evs, sortedThreads);
  }

  private static <T> List<T> sorted(Collection<T> values, Comparator<? super T> order) {
    List<T> list = new ArrayList<>(values);
    list.sort(order);
    return list;
  }

  private void removeEntity(EntityId id) {
    if (entities.remove(id) == null) {
      return;
    }
    Set<EdgeKey> keys = edgesByEntity.remove(id);
    if (keys != null) {
      for (EdgeKey key : keys) {
        edges.remove(key);
        EntityId other = key.src().equals(id) ? key.dst() : key.src();
        unindexEdge(other, key);
      }
    }
    Set<ScopeId> ss = scopesByEntity.remove(id);
    if (ss != null) {
      for (ScopeId s : ss) {
        unindex(entitiesByScope, s, id);
      }
    }
  }

  private void removeScope(ScopeId id) {
    if (scopes.remove(id) == null) {
      return;
    }
    Set<EntityId> members = entitiesByScope.remove(id);
    if (members != null) {
      for (EntityId e : members) {
        unindex(scopesByEntity, e, id);
      }
    }
  }

  private void putLink(ScopeLink link) {
    if (!entities.containsKey(link.entity()) || !scopes.containsKey(link.scope())) {
      return;
    }
    scopesByEntity.computeIfAbsent(link.entity(), k -> new HashSet<>()).add(link.scope());
    entitiesByScope.computeIfAbsent(link.scope(), k -> new HashSet<>()).add(link.entity());
  }

  private void removeLink(ScopeLink link) {
    unindex(scopesByEntity, link.entity(), link.scope());
    unindex(entitiesByScope, link.scope(), link.entity());
  }

  private void putEdge(Edge edge) {
    if (!entities.containsKey(edge.src()) || !entities.containsKey(edge.dst())) {
      return;
    }
    EdgeKey key = edge.key();
    if (edges.put(key, edge) == null) {
      edgesByEntity.computeIfAbsent(edge.src(), k -> new HashSet<>()).add(key);
      edgesByEntity.computeIfAbsent(edge.dst(), k -> new HashSet<>()).add(key);
    }
  }

  private void removeEdge(EdgeKey key) {
    if (edges.remove(key) != null) {
      unindexEdge(key.src(), key);
      unindexEdge(key.dst(), key);
    }
  }

  private void unindexEdge(EntityId id, EdgeKey key) {
    unindex(edgesByEntity, id, key);
  }

  private static <K, V> void unindex(Map<K, Set<V>> index, K key, V value) {
    Set<V> set = index.get(key);
    if (set != null && set.remove(value) && set.isEmpty()) {
      index.remove(key);
    }
  }

  private void putEvent(Event event) {
    if (eventCapacity == 0) {
      return;
    }
    if (events.size() == eventCapacity) {
      events.removeFirst();
    }
    events.addLast(event);
  }
}
