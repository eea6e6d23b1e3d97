package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.moire.model.internal.Checks;
import java.util.Map;
import java.util.OptionalLong;

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
   * A send on a channel completed.
   *
   * @param waitNs how long the sender waited; empty when the send did not block
   * @param closed whether the send failed because the channel was closed
   */
  record ChannelSent(OptionalLong waitNs, boolean closed) implements EventBody {
    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException if {@code waitNs} is negative
     */
    public ChannelSent {
      Checks.notNull(waitNs, "wait_ns");
      waitNs.ifPresent(n -> Checks.nonNegative(n, "wait_ns"));
    }

    @Override
    public String kindName() {
      return "channel_sent";
    }
  }

  /**
   * A receive on a channel completed.
   *
   * @param waitNs how long the receiver waited; empty when the receive did not block
   * @param closed whether the receive found the channel closed and drained
   */
  record ChannelReceived(OptionalLong waitNs, boolean closed) implements EventBody {
    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException if {@code waitNs} is negative
     */
    public ChannelReceived {
      Checks.notNull(waitNs, "wait_ns");
      waitNs.ifPresent(n -> Checks.nonNegative(n, "wait_ns"));
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
