package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;

/**
 * The kind of an entity, named by the snake_case string used in JSON, SQL and the report.
 *
 * <p>A kind also decides the shape of its entities' ids: channel endpoints follow {@code
 * mpsc:{process}:{name}:tx}, every other kind {@code {kind}:{process}:{name}}.
 */
public enum EntityKind {
  /** A tracked task. */
  FUTURE("future", "future", "", "task"),
  /** A thread that used a tracked primitive outside any tracked task. */
  THREAD("thread", "thread", "", "thread"),
  /** A mutex, read-write lock, monitor or other lock. */
  LOCK("lock", "lock", "", "lock"),
  /** The sending side of an mpsc channel. */
  MPSC_TX("mpsc_tx", "mpsc", ":tx", "sender of channel"),
  /** The receiving side of an mpsc channel. */
  MPSC_RX("mpsc_rx", "mpsc", ":rx", "receiver of channel"),
  /** The sending side of a broadcast channel. */
  BROADCAST_TX("broadcast_tx", "broadcast", ":tx", "sender of broadcast"),
  /** One receiver of a broadcast channel. */
  BROADCAST_RX("broadcast_rx", "broadcast", ":rx", "receiver of broadcast"),
  /** The sending side of a watch channel. */
  WATCH_TX("watch_tx", "watch", ":tx", "sender of watch"),
  /** One receiver of a watch channel. */
  WATCH_RX("watch_rx", "watch", ":rx", "receiver of watch"),
  /** The sending side of a oneshot channel. */
  ONESHOT_TX("oneshot_tx", "oneshot", ":tx", "sender of oneshot"),
  /** The receiving side of a oneshot channel. */
  ONESHOT_RX("oneshot_rx", "oneshot", ":rx", "receiver of oneshot"),
  /** A counting semaphore. */
  SEMAPHORE("semaphore", "semaphore", "", "semaphore"),
  /** A notify (wake one or all waiters). */
  NOTIFY("notify", "notify", "", "notify"),
  /** A cell initialised once. */
  ONCE_CELL("once_cell", "once_cell", "", "once-cell"),
  /** A count-down latch. */
  LATCH("latch", "latch", "", "latch"),
  /** An outgoing RPC request. */
  REQUEST("request", "request", "", "request"),
  /** The handling of an RPC request. */
  RESPONSE("response", "response", "", "response"),
  /** A user's own resource. */
  CUSTOM("custom", "custom", "", "resource");

  private final String wireName;
  private final String idPrefix;
  private final String idSuffix;
  private final String noun;

  EntityKind(String wireName, String idPrefix, String idSuffix, String noun) {
    this.wireName = wireName;
    this.idPrefix = idPrefix;
    this.idSuffix = idSuffix;
    this.noun = noun;
  }

  /**
   * Returns how a person calls an entity of this kind before its name: {@code lock}, {@code sender
   * of channel}; a custom resource is called by its own kind instead (see its body).
   */
  public String noun() {
    return noun;
  }

  /** Returns whether an entity of this kind is a task: something that runs and waits. */
  public boolean isTask() {
    return this == FUTURE || this == THREAD;
  }

  /**
   * Returns whether this kind is held by its holders alone (a lock, semaphore or once-cell), whose
   * waiters need exactly the tasks that hold it.
   */
  public boolean isHeldExclusively() {
    return this == LOCK || this == SEMAPHORE || this == ONCE_CELL;
  }

  /** Returns the snake_case name, such as {@code mpsc_tx}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Returns the family of ids this kind's entities share a name in: {@code mpsc} for both endpoints
   * of an mpsc channel, the kind's own name otherwise.
   */
  public String family() {
    return idPrefix;
  }

  /** Returns whether this kind is one endpoint of a channel. */
  public boolean isChannelEndpoint() {
    return !idSuffix.isEmpty();
  }

  /** Returns whether this kind is the sending endpoint of a channel. */
  public boolean isSender() {
    return idSuffix.equals(":tx");
  }

  /** Returns whether this kind is the receiving endpoint of a channel. */
  public boolean isReceiver() {
    return idSuffix.equals(":rx");
  }

  /**
   * Returns the id of an entity of this kind, such as {@code mpsc:p1:jobs:tx}.
   *
   * @throws IllegalArgumentException if {@code process} or {@code uniqueName} is blank
   */
  public EntityId idFor(String process, String uniqueName) {
    Checks.notBlank(process, "process name");
    Checks.notBlank(uniqueName, "entity name");
    return new EntityId(idPrefix + ":" + process + ":" + uniqueName + idSuffix);
  }

  /**
   * Returns the kind with the given snake_case name.
   *
   * @throws IllegalArgumentException if no kind has that name
   */
  @JsonCreator
  public static EntityKind fromWireName(String wireName) {
    for (EntityKind kind : values()) {
      if (kind.wireName.equals(wireName)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown entity kind: '" + wireName + "'");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
