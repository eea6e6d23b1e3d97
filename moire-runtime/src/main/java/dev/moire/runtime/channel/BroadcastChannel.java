package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;

/**
 * The two ends of a tracked broadcast channel; more receivers come from {@link
 * BroadcastSender#subscribe()}.
 *
 * @param sender sends to every receiver
 * @param receiver the first receiver
 * @param <T> the message type
 */
public record BroadcastChannel<T>(BroadcastSender<T> sender, BroadcastReceiver<T> receiver) {
  /** Validates the pair. */
  public BroadcastChannel {
    Checks.notNull(sender, "sender");
    Checks.notNull(receiver, "receiver");
  }
}
