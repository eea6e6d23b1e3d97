package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;

/**
 * The two ends of a tracked oneshot channel.
 *
 * @param sender sends the one value
 * @param receiver receives it
 * @param <T> the value type
 */
public record OneshotChannel<T>(OneshotSender<T> sender, OneshotReceiver<T> receiver) {
  /** Validates the pair. */
  public OneshotChannel {
    Checks.notNull(sender, "sender");
    Checks.notNull(receiver, "receiver");
  }
}
