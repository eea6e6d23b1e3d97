package dev.moire.runtime.channel;

/** Thrown by a send on a channel whose receiver is gone; the message names the channel. */
public final class ChannelClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the channel. */
  public ChannelClosedException(String message) {
    super(message);
  }
}
