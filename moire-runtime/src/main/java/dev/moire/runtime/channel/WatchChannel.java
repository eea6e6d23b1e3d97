package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;

/**
 * The two ends of a tracked watch channel; more receivers come from {@link WatchSender#subscribe()}
 * or {@link WatchReceiver#clone()}.
 *
 * @param sender publishes values
 * @param receiver the first receiver
 * @param <T> the value type
 */
public record WatchChannel<T>(WatchSender<T> sender, WatchReceiver<T> receiver) {
  /** Validates the pair. */
  public WatchChannel {
    Checks.notNull(sender, "sender");
    Checks.notNull(receiver, "receiver");
  }
}
