package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;

/**
 * The two ends of a tracked mpsc channel.
 *
 * @param sender the sending side; clone it for more producers
 * @param receiver the receiving side
 * @param <T> the message type
 */
public record MpscChannel<T>(Sender<T> sender, Receiver<T> receiver) {
  /** Validates the pair. */
  public MpscChannel {
    Checks.notNull(sender, "sender");
    Checks.notNull(receiver, "receiver");
  }
}
