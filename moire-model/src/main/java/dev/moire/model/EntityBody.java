package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The state of an entity: one immutable record per {@link EntityKind}. A body is replaced, never
 * changed, and two bodies are the same state exactly when they are equal.
 *
 * <p>In JSON a body is an object whose {@code kind} property names its kind, followed by its fields
 * in snake_case.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = EntityBody.Future.class, name = "future"),
  @JsonSubTypes.Type(value = EntityBody.Thread.class, name = "thread"),
  @JsonSubTypes.Type(value = EntityBody.Lock.class, name = "lock"),
  @JsonSubTypes.Type(value = EntityBody.MpscTx.class, name = "mpsc_tx"),
  @JsonSubTypes.Type(value = EntityBody.MpscRx.class, name = "mpsc_rx"),
  @JsonSubTypes.Type(value = EntityBody.BroadcastTx.class, name = "broadcast_tx"),
  @JsonSubTypes.Type(value = EntityBody.BroadcastRx.class, name = "broadcast_rx"),
  @JsonSubTypes.Type(value = EntityBody.WatchTx.class, name = "watch_tx"),
  @JsonSubTypes.Type(value = EntityBody.WatchRx.class, name = "watch_rx"),
  @JsonSubTypes.Type(value = EntityBody.OneshotTx.class, name = "oneshot_tx"),
  @JsonSubTypes.Type(value = EntityBody.OneshotRx.class, name = "oneshot_rx"),
  @JsonSubTypes.Type(value = EntityBody.Semaphore.class, name = "semaphore"),
  @JsonSubTypes.Type(value = EntityBody.Notify.class, name = "notify"),
  @JsonSubTypes.Type(value = EntityBody.OnceCell.class, name = "once_cell"),
  @JsonSubTypes.Type(value = EntityBody.Latch.class, name = "latch"),
  @JsonSubTypes.Type(value = EntityBody.Request.class, name = "request"),
  @JsonSubTypes.Type(value = EntityBody.Response.class, name = "response"),
  @JsonSubTypes.Type(value = EntityBody.Custom.class, name = "custom"),
})
public sealed interface EntityBody {

  /** Returns the kind of entity this body belongs to. */
  EntityKind kind();

  /**
   * A tracked task.
   *
   * @param executor the name of the executor it was submitted to, when it was; such a task that no
   *     thread runs is queued behind that executor's busy threads
   */
  record Future(Optional<String> executor) implements EntityBody {
    /** Validates the body; an absent executor (a store from before it existed) is none. */
    public Future {
      executor = executor == null ? Optional.empty() : executor;
    }

    /** A task not submitted to an executor: a test's body, a thread's run, a spawned task. */
    public Future() {
      this(Optional.empty());
    }

    /** A task submitted to the executor named {@code executor}. */
    public static Future of(String executor) {
      Checks.notNull(executor, "executor");
      return new Future(Optional.of(executor));
    }

    @Override
    public EntityKind kind() {
      return EntityKind.FUTURE;
    }
  }

  /**
   * A thread that used a tracked primitive outside any tracked task.
   *
   * @param threadName the thread's name when it was first seen
   * @param virtual whether it is a virtual thread
   */
  record Thread(String threadName, boolean virtual) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws NullPointerException if {@code threadName} is null
     */
    public Thread {
      Checks.notNull(threadName, "thread name");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.THREAD;
    }
  }

  /** What sort of lock a {@link Lock} is. */
  enum LockKind {
    /** An exclusive, usually reentrant lock. */
    MUTEX("mutex"),
    /** A read-write lock. */
    RW_LOCK("rw_lock"),
    /** A Java object monitor. */
    MONITOR("monitor"),
    /** Any other lock. */
    OTHER("other");

    private final String wireName;

    LockKind(String wireName) {
      this.wireName = wireName;
    }

    /** Returns the snake_case name. */
    @JsonValue
    public String wireName() {
      return wireName;
    }
  }

  /**
   * A lock.
   *
   * @param lockKind what sort of lock it is
   * @param observed whether the JVM's own evidence shows it (a monitor, a {@code ReentrantLock} of
   *     plain code, read from the JVM's threads when the graph is observed), rather than moire's
   *     recording of a tracked lock; its name is then the JVM's, such as {@code monitor
   *     Account@1b6d3586}
   */
  record Lock(LockKind lockKind, boolean observed) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws NullPointerException if {@code lockKind} is null
     */
    public Lock {
      Checks.notNull(lockKind, "lock kind");
    }

    /** Creates the body of a tracked lock (recorded by moire, not observed in the JVM). */
    public Lock(LockKind lockKind) {
      this(lockKind, false);
    }

    @Override
    public EntityKind kind() {
      return EntityKind.LOCK;
    }
  }

  /**
   * The sending side of an mpsc channel; it owns the queue state, since backpressure is the
   * sender's concern.
   *
   * @param queueLen messages sent and not yet received
   * @param capacity the bound of the queue; empty when unbounded
   * @param highWatermark the largest queue length seen
   * @param senderCount open sender clones
   * @param sentTotal messages sent successfully
   */
  record MpscTx(
      long queueLen, OptionalInt capacity, long highWatermark, int senderCount, long sentTotal)
      implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if a count is negative or the capacity is not positive
     */
    public MpscTx {
      Checks.nonNegative(queueLen, "queue_len");
      Checks.notNull(capacity, "capacity");
      capacity.ifPresent(c -> Checks.positive(c, "capacity"));
      Checks.nonNegative(highWatermark, "high_watermark");
      Checks.nonNegative(senderCount, "sender_count");
      Checks.nonNegative(sentTotal, "sent_total");
    }

    /** Returns the body of a new channel with the given bound (empty for unbounded). */
    public static MpscTx open(OptionalInt capacity) {
      return new MpscTx(0, capacity, 0, 1, 0);
    }

    @Override
    public EntityKind kind() {
      return EntityKind.MPSC_TX;
    }
  }

  /**
   * The receiving side of an mpsc channel.
   *
   * @param recvTotal messages received
   */
  record MpscRx(long recvTotal) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code recvTotal} is negative
     */
    public MpscRx {
      Checks.nonNegative(recvTotal, "recv_total");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.MPSC_RX;
    }
  }

  /**
   * The sending side of a broadcast channel.
   *
   * @param capacity how many messages are kept for slow receivers
   */
  record BroadcastTx(int capacity) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public BroadcastTx {
      Checks.positive(capacity, "capacity");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.BROADCAST_TX;
    }
  }

  /**
   * One receiver of a broadcast channel.
   *
   * @param lag messages this receiver missed because it fell behind
   */
  record BroadcastRx(long lag) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code lag} is negative
     */
    public BroadcastRx {
      Checks.nonNegative(lag, "lag");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.BROADCAST_RX;
    }
  }

  /**
   * The sending side of a watch channel.
   *
   * @param lastUpdateAt when the value was last written; empty before the first write
   * @param changes how many times the value was written
   */
  record WatchTx(Optional<PTime> lastUpdateAt, long changes) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code changes} is negative
     */
    public WatchTx {
      Checks.notNull(lastUpdateAt, "last_update_at");
      Checks.nonNegative(changes, "changes");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.WATCH_TX;
    }
  }

  /** One receiver of a watch channel. */
  record WatchRx() implements EntityBody {
    @Override
    public EntityKind kind() {
      return EntityKind.WATCH_RX;
    }
  }

  /**
   * The sending side of a oneshot channel, or the completing side of a future.
   *
   * @param sent whether the value has been sent (the future completed)
   * @param future whether it is a future's: anyone holding the future may complete it, so it is
   *     never a lost sender (absent in stores before it existed: false)
   */
  record OneshotTx(boolean sent, boolean future) implements EntityBody {
    /** A oneshot channel's sender. */
    public OneshotTx(boolean sent) {
      this(sent, false);
    }

    @Override
    public EntityKind kind() {
      return EntityKind.ONESHOT_TX;
    }
  }

  /**
   * The receiving side of a oneshot channel, or a future as those who wait for it see it.
   *
   * @param future whether it is a future's (absent in stores before it existed: false)
   * @param completedAlike for a future someone waits on, where other futures made at its line were
   *     completed and by whom, when those lines are known (moire-agent, or per-operation sources):
   *     its would-be completer (absent in stores before it existed: none)
   */
  record OneshotRx(boolean future, List<OperationSite> completedAlike) implements EntityBody {
    /** Validates the body; absent sites (a store from before they existed) are none. */
    public OneshotRx {
      completedAlike = completedAlike == null ? List.of() : List.copyOf(completedAlike);
    }

    /** A oneshot channel's receiver. */
    public OneshotRx() {
      this(false);
    }

    /** A oneshot channel's receiver, or a future's ({@code future}), with no completions known. */
    public OneshotRx(boolean future) {
      this(future, List.of());
    }

    @Override
    public EntityKind kind() {
      return EntityKind.ONESHOT_RX;
    }
  }

  /**
   * A counting semaphore.
   *
   * @param maxPermits the permits it was created with, plus any added since
   * @param handedOutPermits permits currently acquired
   * @param handOff where a permit was first released by a task that held none, since the last
   *     moment no permit was out: from there on the {@code holds} edges may name a task that no
   *     longer holds a permit (the JDK lets any thread release), so the holders are uncertain
   */
  record Semaphore(long maxPermits, long handedOutPermits, Optional<String> handOff)
      implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Semaphore {
      Checks.nonNegative(maxPermits, "max_permits");
      Checks.nonNegative(handedOutPermits, "handed_out_permits");
      handOff = handOff == null ? Optional.empty() : handOff; // absent in stores before it existed
    }

    /** Creates the body of a semaphore whose holders are known exactly. */
    public Semaphore(long maxPermits, long handedOutPermits) {
      this(maxPermits, handedOutPermits, Optional.empty());
    }

    /**
     * Returns whether the holds edges name every holder exactly (no hand-off since all came back).
     */
    public boolean holdersKnown() {
      return handOff.isEmpty();
    }

    @Override
    public EntityKind kind() {
      return EntityKind.SEMAPHORE;
    }
  }

  /**
   * A notify: tasks wait until woken.
   *
   * @param waiterCount tasks waiting now
   */
  record Notify(int waiterCount) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code waiterCount} is negative
     */
    public Notify {
      Checks.nonNegative(waiterCount, "waiter_count");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.NOTIFY;
    }
  }

  /** The life of a {@link OnceCell}. */
  enum OnceCellState {
    /** No value and nobody initialising. */
    EMPTY("empty"),
    /** A task is computing the value. */
    INITIALIZING("initializing"),
    /** The value is set. */
    INITIALIZED("initialized");

    private final String wireName;

    OnceCellState(String wireName) {
      this.wireName = wireName;
    }

    /** Returns the snake_case name. */
    @JsonValue
    public String wireName() {
      return wireName;
    }
  }

  /**
   * A cell initialised once.
   *
   * @param waiterCount tasks waiting for another task's initialisation
   * @param state where the cell is in its life
   */
  record OnceCell(int waiterCount, OnceCellState state) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code waiterCount} is negative
     */
    public OnceCell {
      Checks.nonNegative(waiterCount, "waiter_count");
      Checks.notNull(state, "state");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.ONCE_CELL;
    }
  }

  /**
   * A count-down latch.
   *
   * @param count counts still to come before the latch opens
   * @param countedDown where it was counted down and by whom, when those lines are known
   *     (moire-agent, or per-operation sources): where the missing count was meant to come from
   *     (absent in stores before it existed: none)
   */
  record Latch(long count, List<OperationSite> countedDown) implements EntityBody {
    /**
     * Validates the body; absent sites (a store from before they existed) are none.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Latch {
      Checks.nonNegative(count, "count");
      countedDown = countedDown == null ? List.of() : List.copyOf(countedDown);
    }

    /** A latch with {@code count} counts to come, nowhere counted down yet. */
    public Latch(long count) {
      this(count, List.of());
    }

    @Override
    public EntityKind kind() {
      return EntityKind.LATCH;
    }
  }

  /**
   * An outgoing RPC request.
   *
   * @param method the method called
   */
  record Request(String method) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code method} is blank
     */
    public Request {
      Checks.notBlank(method, "method");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.REQUEST;
    }
  }

  /** The outcome of a {@link Response}. */
  enum ResponseStatus {
    /** Still being handled. */
    PENDING("pending"),
    /** Handled successfully. */
    OK("ok"),
    /** Handled with an error. */
    ERROR("error"),
    /** Abandoned. */
    CANCELLED("cancelled");

    private final String wireName;

    ResponseStatus(String wireName) {
      this.wireName = wireName;
    }

    /** Returns the snake_case name. */
    @JsonValue
    public String wireName() {
      return wireName;
    }
  }

  /**
   * The handling of an RPC request.
   *
   * @param method the method handled
   * @param status how far the handling got
   */
  record Response(String method, ResponseStatus status) implements EntityBody {
    /**
     * Validates the body.
     *
     * @throws IllegalArgumentException if {@code method} is blank
     */
    public Response {
      Checks.notBlank(method, "method");
      Checks.notNull(status, "status");
    }

    @Override
    public EntityKind kind() {
      return EntityKind.RESPONSE;
    }
  }

  /**
   * A user's own resource.
   *
   * @param customKind the user's name for the kind of resource
   * @param attrs the resource's attributes, kept sorted by key
   */
  record Custom(String customKind, Map<String, String> attrs) implements EntityBody {
    /**
     * Validates the body and copies the attributes.
     *
     * @throws IllegalArgumentException if {@code customKind} is blank
     * @throws NullPointerException if an attribute key or value is null
     */
    public Custom {
      Checks.notBlank(customKind, "custom_kind");
      attrs = sortedCopy(attrs);
    }

    @Override
    public EntityKind kind() {
      return EntityKind.CUSTOM;
    }
  }

  /** Returns an unmodifiable copy of {@code attrs}, sorted by key, refusing null keys or values. */
  static Map<String, String> sortedCopy(Map<String, String> attrs) {
    Checks.notNull(attrs, "attrs");
    TreeMap<String, String> copy = new TreeMap<>();
    attrs.forEach(
        (k, v) ->
            copy.put(Checks.notNull(k, "attribute key"), Checks.notNull(v, "attribute " + k)));
    return Collections.unmodifiableMap(copy);
  }
}
