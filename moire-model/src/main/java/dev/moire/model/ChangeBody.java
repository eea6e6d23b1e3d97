package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.moire.model.internal.Checks;

/** One of the nine ways the graph changes. Replaying changes in order rebuilds the graph. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ChangeBody.UpsertEntity.class, name = "upsert_entity"),
  @JsonSubTypes.Type(value = ChangeBody.RemoveEntity.class, name = "remove_entity"),
  @JsonSubTypes.Type(value = ChangeBody.UpsertScope.class, name = "upsert_scope"),
  @JsonSubTypes.Type(value = ChangeBody.RemoveScope.class, name = "remove_scope"),
  @JsonSubTypes.Type(value = ChangeBody.LinkEntityScope.class, name = "link_entity_scope"),
  @JsonSubTypes.Type(value = ChangeBody.UnlinkEntityScope.class, name = "unlink_entity_scope"),
  @JsonSubTypes.Type(value = ChangeBody.UpsertEdge.class, name = "upsert_edge"),
  @JsonSubTypes.Type(value = ChangeBody.RemoveEdge.class, name = "remove_edge"),
  @JsonSubTypes.Type(value = ChangeBody.AppendEvent.class, name = "append_event"),
})
public sealed interface ChangeBody {

  /** Returns the snake_case kind of the change, such as {@code upsert_entity}. */
  String kindName();

  /**
   * An entity appeared or its body changed.
   *
   * @param entity the entity as it is now
   */
  record UpsertEntity(Entity entity) implements ChangeBody {
    /** Validates the change. */
    public UpsertEntity {
      Checks.notNull(entity, "entity");
    }

    @Override
    public String kindName() {
      return "upsert_entity";
    }
  }

  /**
   * An entity died; its edges and scope links go with it.
   *
   * @param id the entity's id
   */
  record RemoveEntity(EntityId id) implements ChangeBody {
    /** Validates the change. */
    public RemoveEntity {
      Checks.notNull(id, "entity id");
    }

    @Override
    public String kindName() {
      return "remove_entity";
    }
  }

  /**
   * A scope opened or changed.
   *
   * @param scope the scope as it is now
   */
  record UpsertScope(Scope scope) implements ChangeBody {
    /** Validates the change. */
    public UpsertScope {
      Checks.notNull(scope, "scope");
    }

    @Override
    public String kindName() {
      return "upsert_scope";
    }
  }

  /**
   * A scope closed; its links go with it.
   *
   * @param id the scope's id
   */
  record RemoveScope(ScopeId id) implements ChangeBody {
    /** Validates the change. */
    public RemoveScope {
      Checks.notNull(id, "scope id");
    }

    @Override
    public String kindName() {
      return "remove_scope";
    }
  }

  /**
   * An entity joined a scope.
   *
   * @param link the membership
   */
  record LinkEntityScope(ScopeLink link) implements ChangeBody {
    /** Validates the change. */
    public LinkEntityScope {
      Checks.notNull(link, "link");
    }

    @Override
    public String kindName() {
      return "link_entity_scope";
    }
  }

  /**
   * An entity left a scope.
   *
   * @param link the membership that ended
   */
  record UnlinkEntityScope(ScopeLink link) implements ChangeBody {
    /** Validates the change. */
    public UnlinkEntityScope {
      Checks.notNull(link, "link");
    }

    @Override
    public String kindName() {
      return "unlink_entity_scope";
    }
  }

  /**
   * An edge appeared or changed.
   *
   * @param edge the edge as it is now
   */
  record UpsertEdge(Edge edge) implements ChangeBody {
    /** Validates the change. */
    public UpsertEdge {
      Checks.notNull(edge, "edge");
    }

    @Override
    public String kindName() {
      return "upsert_edge";
    }
  }

  /**
   * An edge went away.
   *
   * @param key which edge
   */
  record RemoveEdge(EdgeKey key) implements ChangeBody {
    /** Validates the change. */
    public RemoveEdge {
      Checks.notNull(key, "edge key");
    }

    @Override
    public String kindName() {
      return "remove_edge";
    }
  }

  /**
   * Something happened.
   *
   * @param event the event
   */
  record AppendEvent(Event event) implements ChangeBody {
    /** Validates the change. */
    public AppendEvent {
      Checks.notNull(event, "event");
    }

    @Override
    public String kindName() {
      return "append_event";
    }
  }
}
