package dev.moire.model;

import dev.moire.model.internal.Checks;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The graph of a runtime (or of one test's part of it) at one moment, with the thread table of that
 * moment. Lists are in a canonical order (by id), so equal graphs give equal snapshots.
 *
 * @param runtime the runtime the snapshot comes from
 * @param seq the sequence number of the last change the snapshot includes
 * @param at when it was cut
 * @param entities the live entities, by id
 * @param scopes the open scopes, by id
 * @param links the entity–scope memberships
 * @param edges the edges, by key
 * @param events the recent events, oldest first
 * @param threads the thread table, by thread id
 */
public record Snapshot(
    RuntimeInfo runtime,
    long seq,
    PTime at,
    List<Entity> entities,
    List<Scope> scopes,
    List<ScopeLink> links,
    List<Edge> edges,
    List<Event> events,
    List<ThreadSnapshot> threads) {
  /**
   * Validates the snapshot and copies its lists.
   *
   * @throws NullPointerException if a component or element is null
   * @throws IllegalArgumentException if {@code seq} is negative
   */
  public Snapshot {
    Checks.notNull(runtime, "runtime");
    Checks.nonNegative(seq, "snapshot seq");
    Checks.notNull(at, "snapshot time");
    entities = List.copyOf(entities);
    scopes = List.copyOf(scopes);
    links = List.copyOf(links);
    edges = List.copyOf(edges);
    events = List.copyOf(events);
    threads = List.copyOf(threads);
  }

  /** Returns the entity with the given id, if it is in the snapshot. */
  public Optional<Entity> entity(EntityId id) {
    return entities.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** Returns the entities with the given name, in id order. */
  public List<Entity> entitiesNamed(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).toList();
  }

  /** Returns the entities of the given kind, in id order. */
  public List<Entity> entitiesOfKind(EntityKind kind) {
    return entities.stream().filter(e -> e.kind() == kind).toList();
  }

  /** Returns the edges of the given kind, in key order. */
  public List<Edge> edgesOfKind(EdgeKind kind) {
    return edges.stream().filter(e -> e.kind() == kind).toList();
  }

  /** Returns the events about the given entity, oldest first. */
  public List<Event> eventsOf(EntityId id) {
    return events.stream().filter(e -> e.target().is(id)).toList();
  }

  /** Returns the ids of the entities linked to the given scope, in id order. */
  public Stream<EntityId> membersOf(ScopeId scope) {
    return links.stream().filter(l -> l.scope().equals(scope)).map(ScopeLink::entity);
  }

  /** Returns the same snapshot with only the thread rows {@code keep} accepts. */
  public Snapshot withThreadsWhere(java.util.function.Predicate<ThreadSnapshot> keep) {
    List<ThreadSnapshot> kept = threads.stream().filter(keep).toList();
    return kept.size() == threads.size()
        ? this
        : new Snapshot(runtime, seq, at, entities, scopes, links, edges, events, kept);
  }

  /** Returns the same snapshot with each thread row replaced by what {@code change} makes of it. */
  public Snapshot withThreadsMapped(java.util.function.UnaryOperator<ThreadSnapshot> change) {
    List<ThreadSnapshot> changed = new java.util.ArrayList<>(threads.size());
    boolean any = false;
    for (ThreadSnapshot t : threads) {
      ThreadSnapshot u = change.apply(t);
      any |= u != t; // by identity: rows are large, and most come back as they were
      changed.add(u);
    }
    return any
        ? new Snapshot(runtime, seq, at, entities, scopes, links, edges, events, changed)
        : this;
  }

  /** Returns whether the snapshot holds no entity, scope or edge. */
  public boolean isEmpty() {
    return entities.isEmpty() && scopes.isEmpty() && edges.isEmpty();
  }
}
