package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.moire.model.internal.Checks;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** What happened, in an {@link Event}. Events are history only: "blocked right now" is an edge. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = EventBody.ChannelSent.class, name = "channel_sent"),
  @JsonSubTypes.Type(value = EventBody.ChannelReceived.class, name = "channel_received"),
  @JsonSubTypes.Type(value = EventBody.StateChanged.class, name = "state_changed"),
  @JsonSubTypes.Type(value = EventBody.Custom.class, name = "custom"),
})
public sealed interface EventBody {

  /** Returns the snake_case kind of the event, such as {@code channel_sent}. */
  String kindName();

  /**
   * A send on a channel completed, or a run of sends that did not wait: {@code count} of them, the
   * first at the event's time and the last {@code spanNs} later. A send that waited or found the
   * channel closed is always an event of its own ({@code count} 1), the ones a person reads first
   * when a channel hangs.
   *
   * @param waitNs how long the sender waited; empty when the send did not block
   * @param closed whether the send failed because the channel was closed
   * @param count how many sends the event stands for, at least 1
   * @param spanNs the time from the first of them to the last, 0 for one
   */
  record ChannelSent(OptionalLong waitNs, boolean closed, long count, long spanNs)
      implements EventBody {
    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException if {@code waitNs} or {@code spanNs} is negative, {@code
     *     count} is below 1, or a run of several sends claims to have waited or been closed
     */
    public ChannelSent {
      Checks.notNull(waitNs, "wait_ns");
      waitNs.ifPresent(n -> Checks.nonNegative(n, "wait_ns"));
      Checks.nonNegative(spanNs, "span_ns");
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1: " + count);
      }
      if (count > 1 && (waitNs.isPresent() || closed)) {
        throw new IllegalArgumentException(
            "a run of " + count + " sends is of sends that neither waited nor were closed");
      }
    }

    /** One send. */
    public ChannelSent(OptionalLong waitNs, boolean closed) {
      this(waitNs, closed, 1, 0);
    }

    /** A run of {@code count} sends that did not wait, over {@code spanNs}. */
    public static ChannelSent run(long count, long spanNs) {
      return new ChannelSent(OptionalLong.empty(), false, count, spanNs);
    }

    /** Reads the event as stored; one written before runs were counted has no count: it is 1. */
    @JsonCreator
    static ChannelSent read(
        @JsonProperty("wait_ns") @Nullable OptionalLong waitNs,
        @JsonProperty("closed") boolean closed,
        @JsonProperty("count") @Nullable Long count,
        @JsonProperty("span_ns") @Nullable Long spanNs) {
      return new ChannelSent(
          waitNs == null ? OptionalLong.empty() : waitNs,
          closed,
          count == null ? 1 : count,
          spanNs == null ? 0 : spanNs);
    }

    @Override
    public String kindName() {
      return "channel_sent";
    }
  }

  /**
   * A receive on a channel completed, or a run of receives that did not wait: {@code count} of
   * them, the first at the event's time and the last {@code spanNs} later. A receive that waited or
   * found the channel closed is always an event of its own ({@code count} 1), the ones a person
   * reads first when a channel hangs.
   *
   * @param waitNs how long the receiver waited; empty when the receive did not block
   * @param closed whether the receive found the channel closed and drained
   * @param count how many receives the event stands for, at least 1
   * @param spanNs the time from the first of them to the last, 0 for one
   */
  record ChannelReceived(OptionalLong waitNs, boolean closed, long count, long spanNs)
      implements EventBody {
    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException if {@code waitNs} or {@code spanNs} is negative, {@code
     *     count} is below 1, or a run of several receives claims to have waited or been closed
     */
    public ChannelReceived {
      Checks.notNull(waitNs, "wait_ns");
      waitNs.ifPresent(n -> Checks.nonNegative(n, "wait_ns"));
      Checks.nonNegative(spanNs, "span_ns");
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1: " + count);
      }
      if (count > 1 && (waitNs.isPresent() || closed)) {
        throw new IllegalArgumentException(
            "a run of " + count + " receives is of receives that neither waited nor were closed");
      }
    }

    /** One receive. */
    public ChannelReceived(OptionalLong waitNs, boolean closed) {
      this(waitNs, closed, 1, 0);
    }

    /** A run of {@code count} receives that did not wait, over {@code spanNs}. */
    public static ChannelReceived run(long count, long spanNs) {
      return new ChannelReceived(OptionalLong.empty(), false, count, spanNs);
    }

    /** Reads the event as stored; one written before runs were counted has no count: it is 1. */
    @JsonCreator
    static ChannelReceived read(
        @JsonProperty("wait_ns") @Nullable OptionalLong waitNs,
        @JsonProperty("closed") boolean closed,
        @JsonProperty("count") @Nullable Long count,
        @JsonProperty("span_ns") @Nullable Long spanNs) {
      return new ChannelReceived(
          waitNs == null ? OptionalLong.empty() : waitNs,
          closed,
          count == null ? 1 : count,
          spanNs == null ? 0 : spanNs);
    }

    @Override
    public String kindName() {
      return "channel_received";
    }
  }

  /**
   * The target moved from one state to another, such as a response from pending to ok.
   *
   * @param from the state before
   * @param to the state after
   */
  record StateChanged(String from, String to) implements EventBody {
    /**
     * Validates the event.
     *
     * @throws NullPointerException if a state is null
     */
    public StateChanged {
      Checks.notNull(from, "from");
      Checks.notNull(to, "to");
    }

    @Override
    public String kindName() {
      return "state_changed";
    }
  }

  /**
   * A user's own event.
   *
   * @param customKind the user's name for the kind of event
   * @param attrs the event's attributes, kept sorted by key
   */
  record Custom(String customKind, Map<String, String> attrs) implements EventBody {
    /**
     * Validates the event and copies the attributes.
     *
     * @throws IllegalArgumentException if {@code customKind} is blank
     */
    public Custom {
      Checks.notBlank(customKind, "custom_kind");
      attrs = EntityBody.sortedCopy(attrs);
    }

    @Override
    public String kindName() {
      return "custom";
    }
  }
}
